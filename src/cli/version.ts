/** The CLI's version (package.json's), printed by `--version` and published by each cluster member. */
export const VERSION = '0.1.0';
