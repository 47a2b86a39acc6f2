// The finds trends as bar charts drawn on the server: geometry only, for views/finds/chart.njk to draw as SVG. No
// script runs in the browser; every figure is also in the tables beside the charts.

/** A round top for an axis that holds `max` in five equal steps: 4 → 5, 17 → 20, 130 → 150. */
export function axisTop(max: number): number {
  const least = Math.max(max, 5) / 5
  const magnitude = 10 ** Math.floor(Math.log10(least))
  const step = [1, 2, 3, 4, 5, 6, 8, 10].map(f => f * magnitude).find(candidate => candidate >= least) ?? 10 * magnitude
  return step * 5
}

const COLUMN_CHART = { width: 720, height: 280, left: 36, right: 8, top: 16, bottom: 44 }

/** Finds a month beside the same month a year before: two columns a month, gridlines at fifths of the axis. */
export function monthColumns(months: readonly { label: string; total: number; yearBefore: number }[]) {
  const { width, height, left, right, top, bottom } = COLUMN_CHART
  const plotHeight = height - top - bottom
  const highest = axisTop(Math.max(0, ...months.flatMap(m => [m.total, m.yearBefore])))
  const slot = (width - left - right) / Math.max(months.length, 1)
  const column = slot * 0.36
  const y = (value: number) => top + plotHeight - (value / highest) * plotHeight
  const gridlines = [0, 1, 2, 3, 4, 5].map(fifth => {
    const value = (highest * fifth) / 5
    return { value: Number.isInteger(value) ? value : Number(value.toFixed(1)), y: y(value) }
  })
  const columns = months.map((month, i) => {
    const x = left + i * slot + (slot - 2 * column) / 2
    return {
      label: month.label,
      labelX: left + i * slot + slot / 2,
      labelY: height - bottom + 18,
      yearBefore: {
        x,
        y: y(month.yearBefore),
        height: top + plotHeight - y(month.yearBefore),
        value: month.yearBefore,
      },
      now: { x: x + column, y: y(month.total), height: top + plotHeight - y(month.total), value: month.total },
    }
  })
  return { width, height, left, right, baseline: top + plotHeight, column, gridlines, columns }
}

const BAR_CHART = { width: 720, label: 190, value: 40, bar: 20, gap: 8, top: 4 }

/** One horizontal bar per line, longest first, each labelled with its name and figure. */
export function horizontalBars(lines: readonly { name: string; total: number }[]) {
  const { width, label, value, bar, gap, top } = BAR_CHART
  const shown = lines.filter(line => line.total > 0).sort((a, b) => b.total - a.total || a.name.localeCompare(b.name))
  const highest = Math.max(1, ...shown.map(line => line.total))
  const room = width - label - value
  const bars = shown.map((line, i) => ({
    name: line.name,
    total: line.total,
    y: top + i * (bar + gap),
    width: Math.max(2, (line.total / highest) * room),
  }))
  return { width, height: top + bars.length * (bar + gap), label, bar, bars }
}
