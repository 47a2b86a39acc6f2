// The network chart: progressive enhancement over the tables on the page, which stay the accessible version.
// Runs only where Cytoscape has loaded and the page carries a chart container and its data.

const SUBJECT = '#1d70b8'
const NEAR = '#0b0c0c'
const FAR = '#505a5f'

/** Names as NOMIS stores them (upper case) shown as people write them, as in the tables: the nameCase filter. */
function nameCase(name) {
  return name.toLowerCase().replace(/(^|[\s'-])([a-z])/g, (_, sep, letter) => sep + letter.toUpperCase())
}

/** Where a node leads: a person's profile, or a search for the reports carrying the entity. */
function hrefOf(node) {
  return node.kind === 'entity' ? `/intelligence/search?entity=${encodeURIComponent(node.label)}` : node.href
}

function elementsOf(graph) {
  const nodes = graph.nodes.map(node => ({
    data: { id: node.id, label: node.kind === 'nominal' ? nameCase(node.label) : node.label, href: hrefOf(node) },
    classes: [node.kind, `depth-${node.depth}`],
  }))
  const edges = graph.edges.map((edge, index) => ({
    data: { id: `edge-${index}`, source: edge.from, target: edge.to, weight: edge.reports.length },
  }))
  return [...nodes, ...edges]
}

const STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-family': 'arial, sans-serif',
      'font-size': 12,
      color: NEAR,
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'background-color': NEAR,
      width: 22,
      height: 22,
    },
  },
  { selector: 'node.nominal', style: { shape: 'ellipse' } },
  { selector: 'node.entity', style: { shape: 'round-rectangle', width: 26, height: 18 } },
  {
    selector: 'node.depth-0',
    style: { 'background-color': SUBJECT, color: SUBJECT, 'font-weight': 'bold', width: 32, height: 32 },
  },
  { selector: 'node.depth-2', style: { 'background-color': FAR, color: FAR, opacity: 0.75 } },
  {
    selector: 'edge',
    style: {
      width: 'mapData(weight, 1, 5, 1, 6)',
      'line-color': '#b1b4b6',
      'curve-style': 'bezier',
    },
  },
]

function drawNetwork() {
  const container = document.getElementById('network-chart')
  const data = document.getElementById('network-data')
  if (!window.cytoscape || !container || !data) return
  const graph = JSON.parse(data.textContent)

  // Cytoscape adds an inline <style> unless one with this id exists; the Content-Security-Policy would refuse it,
  // and portcullis.css already gives the container the position it wants.
  if (!document.getElementById('__________cytoscape_stylesheet')) {
    const marker = document.createElement('meta')
    marker.id = '__________cytoscape_stylesheet'
    document.head.append(marker)
  }

  // The chart repeats the tables for sighted mouse users: it stays hidden from assistive technology.
  container.hidden = false
  container.setAttribute('aria-hidden', 'true')
  const cy = window.cytoscape({
    container,
    elements: elementsOf(graph),
    style: STYLE,
    layout: { name: 'cose', animate: false, nodeDimensionsIncludeLabels: true },
    wheelSensitivity: 0.2,
  })
  cy.on('tap', 'node', event => {
    const href = event.target.data('href')
    if (href) window.location.assign(href)
  })
}

drawNetwork()
