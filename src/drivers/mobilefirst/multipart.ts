// Moved to src/drivers/upload/ (shared with Mule MMC's application upload).
export * from '../upload/multipart.js'
