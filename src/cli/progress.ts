import cliProgress from 'cli-progress'

/** How far a long command has gone: `update(done, total)` as it goes, `stop()` at the end. */
export type Progress = { update(done: number, total: number): void; stop(): void }

/**
 * Progress on stderr, so that stdout keeps only the command's results: a bar when a person watches a terminal,
 * and a plain line per step otherwise (a log file or CI, where a redrawn bar would be noise).
 */
export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) {
    return {
      update: (done, total) => stream.write(`${label} ${done} of ${total}\n`),
      stop: () => {},
    }
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value} of {total}`, stream, hideCursor: true },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  return {
    update(done, total) {
      if (!started) bar.start(total, 0)
      started = true
      bar.update(done)
    },
    stop: () => {
      if (started) bar.stop()
    },
  }
}
