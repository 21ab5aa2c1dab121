import type { Platform } from '../inputs/schema.js'

/** Each platform's name as its vendor writes it: the summary names a platform by it without loading its driver. */
export const PLATFORM_TITLES: Record<Platform, string> = {
  epmware: 'EPMware',
  'mule-mmc': 'Mule Management Console',
  'bmc-rpm': 'BMC Release Process Management',
  mobilefirst: 'IBM MobileFirst',
  flexdeploy: 'FlexDeploy'
}
