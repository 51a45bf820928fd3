// Finding and reading the one `.scheduler.yaml` of a workspace folder (multi-root: one per folder).

import { promises as fs } from 'fs';
import * as path from 'path';
import { defaultConfig } from './defaults';
import { loadConfig } from './load';
import type { LoadedConfig } from './types';

/** In order of preference: `.yaml` is what the docs and the schema wiring name. */
export const CONFIG_FILE_NAMES = ['.scheduler.yaml', '.scheduler.yml'] as const;

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The config file of `folder`, or undefined when it has none. */
export async function findConfigFile(folder: string): Promise<string | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(folder, name);
    if (await isFile(file)) return file;
  }
  return undefined;
}

/**
 * The folder's config: loaded from its file, or the built-in defaults when there is none. When both
 * names exist the `.yml` is ignored, with a warning on it, so the choice is never silent.
 */
export async function readConfig(folder: string): Promise<LoadedConfig> {
  const file = await findConfigFile(folder);
  if (!file) return { config: defaultConfig(), diagnostics: [], locations: { jobs: {}, overrides: {}, dependsOn: {} } };
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const message = `cannot read the config file: ${(e as Error).message}`;
    return {
      file, config: defaultConfig(), locations: { jobs: {}, overrides: {}, dependsOn: {} },
      diagnostics: [{ file, line: 1, column: 1, severity: 'error', code: 'config.unreadable', message }],
    };
  }
  const loaded = loadConfig(file, text);
  const other = path.join(folder, CONFIG_FILE_NAMES[1]);
  if (file !== other && (await isFile(other))) {
    loaded.diagnostics.push({
      file: other, line: 1, column: 1, severity: 'warning', code: 'config.ignored-file',
      message: `ignored: ${CONFIG_FILE_NAMES[0]} in the same folder is the config in use; merge the two and delete this one`,
    });
  }
  return loaded;
}
