// What the user sees when no esbuild is found: one non-modal question per session (or nothing, with
// `taskScheduler.esbuild.autoInstall`), a progress notification while npm installs it, then every
// folder re-planned so the task files compile — no reload of the window.
import * as vscode from 'vscode';
import type { EsbuildResolver } from './esbuild';
import { setContext } from './context';
import { CommandId, SETTINGS } from './ids';

export const ESBUILD_QUESTION = 'Task Scheduler needs esbuild (≈10 MB) to compile task files. Install it now?';

export class EsbuildSetup {
  private asked = false;

  constructor(
    private readonly resolver: EsbuildResolver,
    private readonly reloadAll: () => Promise<void>,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** A build found no esbuild: install it, or ask once. */
  offer(): void {
    void setContext('taskScheduler.needsEsbuild', true);
    const auto = vscode.workspace.getConfiguration().get<boolean>(SETTINGS.esbuildAutoInstall.key, SETTINGS.esbuildAutoInstall.default);
    if (auto) {
      void this.install();
      return;
    }
    if (this.asked) return;
    this.asked = true;
    void vscode.window.showInformationMessage(ESBUILD_QUESTION, 'Install', 'Not now').then((answer) => {
      if (answer === 'Install') void this.install();
    });
  }

  /** A build found esbuild again: nothing to offer any more. */
  found(): void {
    void setContext('taskScheduler.needsEsbuild', false);
  }

  /** Installs esbuild into global storage and re-plans every folder. Returns the version, or undefined on failure. */
  async install(): Promise<string | undefined> {
    try {
      const found = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Task Scheduler: installing esbuild…' },
        () => this.resolver.install(),
      );
      await this.reloadAll();
      return found.version;
    } catch (e) {
      const message = (e as Error).message;
      this.log.error(`esbuild: install failed: ${message}`);
      void vscode.window.showErrorMessage(`Task Scheduler could not install esbuild: ${message}`, 'Show Log', 'Retry').then((answer) => {
        if (answer === 'Show Log') void vscode.commands.executeCommand(CommandId.ShowLog);
        if (answer === 'Retry') void this.install();
      });
      return undefined;
    }
  }
}
