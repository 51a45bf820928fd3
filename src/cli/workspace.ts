// What every workspace command shares: which folder, and how to plan it with the shipped runtime.
import * as fs from 'fs';
import * as path from 'path';
import { flag, type Args } from './args';
import { planWorkspace, type WorkspacePlan } from '../core/workspace/plan';
import { runtimeFromDist, taskFileLoader } from '../core/workspace/runtime';

export function workspaceOf(args: Args): string {
  const folder = path.resolve(flag(args, 'workspace') ?? process.cwd());
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new Error(`--workspace: no folder at ${folder}`);
  return folder;
}

/** The CLI bundle sits in dist/ beside runner.js and api.js. */
export function planFor(folder: string): Promise<WorkspacePlan> {
  return planWorkspace(folder, taskFileLoader(folder, runtimeFromDist(__dirname)));
}

export function relative(folder: string, file: string): string {
  const rel = path.relative(folder, file);
  return rel.startsWith('..') ? file : rel.split(path.sep).join('/');
}
