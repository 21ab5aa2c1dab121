// Moved to simulator/multipart.ts (shared with the Mule MMC simulator's repository upload).
export * from '../multipart.js'
