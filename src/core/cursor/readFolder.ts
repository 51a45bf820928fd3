// A workspace folder's config and task files as text, from disk (or from the editor's open documents,
// which win): the input of readStaticWorkspace. Reading a file runs nothing.
import { promises as fs } from 'fs';
import { findConfigFile, loadConfig } from '../config';
import { discoverTaskFiles } from '../tasks/discover';
import type { SourceText, StaticInput } from './staticWorkspace';

/** Text of a file as the editor has it (unsaved edits included), or undefined to read it from disk. */
export type OpenText = (file: string) => string | undefined;

export async function readFolderTexts(folder: string, open: OpenText = () => undefined): Promise<StaticInput> {
  const read = async (file: string): Promise<string | undefined> => {
    const text = open(file);
    if (text !== undefined) return text;
    try { return await fs.readFile(file, 'utf8'); } catch { return undefined; }
  };
  const configFile = await findConfigFile(folder);
  const configText = configFile ? await read(configFile) : undefined;
  const discovery = configFile && configText !== undefined ? loadConfig(configFile, configText).config.tasks : undefined;
  const files = await discoverTaskFiles(folder, discovery ? { include: discovery.include, exclude: discovery.exclude } : {});
  const taskFiles: SourceText[] = [];
  for (const file of files) {
    const text = await read(file);
    if (text !== undefined) taskFiles.push({ file, text });
  }
  return { folder, config: configFile && configText !== undefined ? { file: configFile, text: configText } : undefined, taskFiles };
}
