/**
 * Cleanup stack: everything the benchmark creates (temp folders, databases, servers) registers
 * its removal here, and the stack runs — newest first, each step once — on normal exit, on
 * failure and on SIGINT/SIGTERM.
 */
export class Cleanup {
  #steps: Array<{ label: string; run: () => Promise<void> }> = [];

  add(label: string, run: () => Promise<void> | void): void {
    this.#steps.push({ label, run: async () => run() });
  }

  /** Runs the steps registered after `mark` (a length from `size()`), newest first. */
  async runDownTo(mark: number): Promise<void> {
    while (this.#steps.length > mark) {
      const step = this.#steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`cleanup: ${step.label} failed:`, error instanceof Error ? error.message : error);
      }
    }
  }

  size(): number {
    return this.#steps.length;
  }

  runAll(): Promise<void> {
    return this.runDownTo(0);
  }

  /** On Ctrl-C or kill, clean up before exiting. */
  installSignalHandlers(): void {
    let stopping = false;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (stopping) return;
        stopping = true;
        console.error(`\n${signal}: cleaning up…`);
        void this.runAll().finally(() => process.exit(130));
      });
    }
  }
}
