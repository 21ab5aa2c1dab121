import { afterAll } from '@jest/globals'
import { removeTempDirs } from '../fixtures/temp.js'

// Every test file: the temp folders it made (fixtures/temp.ts) go when it ends.
afterAll(removeTempDirs)
