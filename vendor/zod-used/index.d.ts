// zod 4.6.7 (MIT, LICENSE beside this file): the functions scripts/vendor-zod.ts names, typed as zod/mini types them. Generated; do not edit.
export { NEVER, array, boolean, catchall, config, describe, enum, extend, int, looseObject, minLength, nonnegative, null, nullable, nullish, number, object, optional, partial, pipe, positive, record, refine, regex, strictObject, string, transform, trim, union, unknown } from 'zod/mini'
export { default as en } from 'zod/v4/locales/en.js'
