/** A one-line progress bar for terminals; a plain line per epoch otherwise. */

const enc = new TextEncoder();

/** Progress of one epoch: images/s, running loss and ETA. */
export class Progress {
  readonly #label: string;
  readonly #total: number;
  readonly #batch: number;
  readonly #start = performance.now();
  readonly #tty = Deno.stdout.isTerminal();

  /** Starts a bar for `total` steps of `batch` images. */
  constructor(label: string, total: number, batch: number) {
    this.#label = label;
    this.#total = total;
    this.#batch = batch;
  }

  /** Redraws the bar after `step` steps with the running loss. */
  update(step: number, loss: number): void {
    if (!this.#tty) return;
    const sec = (performance.now() - this.#start) / 1000;
    const ips = (step * this.#batch) / sec;
    const eta = ((this.#total - step) * this.#batch) / ips;
    const width = 30;
    const filled = Math.round((step / this.#total) * width);
    const bar = "█".repeat(filled) + "·".repeat(width - filled);
    const line = `\r${this.#label} ${bar} ${step}/${this.#total} loss ${loss.toFixed(4)} ` +
      `${Math.round(ips)} img/s ETA ${Math.round(eta)}s `;
    Deno.stdout.writeSync(enc.encode(line));
  }

  /** Ends the bar's line. */
  done(): void {
    if (this.#tty) Deno.stdout.writeSync(enc.encode("\n"));
  }
}
