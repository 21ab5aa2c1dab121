/**
 * zod for every schema of the action: zod/mini, with zod's English messages. Issue 16: classic zod cost about
 * 40 ms of every cold start just to load (each of its schemas carries every method, and its module graph
 * cannot be tree-shaken). mini can be, but ncc does not tree-shake, so the functions come from
 * vendor/zod-used/, the ones the schemas call, tree-shaken by esbuild (scripts/vendor-zod.ts); types come from
 * zod/mini itself. Classic zod sets the English messages as it loads; mini leaves that to its user, and
 * without it every default message would read "Invalid input".
 * `jitless`: zod would compile a parser for each object schema (`new Function`) the first time it parses one;
 * the action parses each a handful of times, so compiling costs more than it saves, and no code is generated
 * at run time. Modules import values from here (`import * as z from '../zod.js'`); types may come from
 * 'zod/mini'.
 */
import { config, en } from '../vendor/zod-used/index.js'

config(en())
config({ jitless: true })

export * from '../vendor/zod-used/index.js'
export type * from 'zod/mini'
