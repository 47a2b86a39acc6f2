// A progress bar on stderr: redrawn in place on a terminal, a line every few seconds when stderr is a file.

const WIDTH = 30
// A terminal is redrawn ten times a second; a log file gets a line every five seconds.
const REDRAW_MS = { tty: 100, file: 5000 }

export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

export function progressBar(label: string, total: number) {
  const started = performance.now()
  const tty = process.stderr.isTTY
  let lastLine = 0
  let done = 0
  const draw = (final: boolean) => {
    const elapsed = performance.now() - started
    const share = total === 0 ? 1 : done / total
    const rate = done / Math.max(elapsed / 1000, 0.001)
    const left = rate > 0 ? ((total - done) / rate) * 1000 : 0
    const filled = Math.round(share * WIDTH)
    const text =
      `${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(share * 100).toFixed(1).padStart(5)}% ` +
      `${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} ${Math.round(rate).toLocaleString('en-GB')}/s ` +
      (final ? `in ${duration(elapsed)}` : `${duration(left)} left`)
    if (tty) process.stderr.write(`\r${text.padEnd(process.stderr.columns - 1 || 100)}${final ? '\n' : ''}`)
    else process.stderr.write(`${text}\n`)
  }
  return {
    update(value: number) {
      done = value
      if (performance.now() - lastLine >= (tty ? REDRAW_MS.tty : REDRAW_MS.file)) {
        lastLine = performance.now()
        draw(false)
      }
    },
    finish() {
      done = total
      draw(true)
      return performance.now() - started
    },
  }
}
