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

// Labels are sized in pixels on the screen, not in the chart's units: `drawNetwork` divides these by the zoom, so a
// label reads the same however many nodes the chart holds. Labels two links away show only when zoomed in, or on
// hover, so that a busy network does not bury the person and those next to them under text.
const LABEL_PX = { 0: 16, 1: 14, 2: 12 }
const FAR_LABEL_MIN_ZOOM = 1.2

const STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-family': 'arial, sans-serif',
      'font-size': LABEL_PX[1],
      color: NEAR,
      'text-valign': 'bottom',
      'text-margin-y': 3,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': 2,
      'text-wrap': 'ellipsis',
      'text-max-width': 160,
      'background-color': NEAR,
      width: 22,
      height: 22,
    },
  },
  { selector: 'node.nominal', style: { shape: 'ellipse' } },
  { selector: 'node.entity', style: { shape: 'round-rectangle', width: 26, height: 18 } },
  {
    selector: 'node.depth-0',
    style: { 'background-color': SUBJECT, color: SUBJECT, 'font-weight': 'bold', width: 34, height: 34, 'z-index': 3 },
  },
  { selector: 'node.depth-1', style: { 'z-index': 2 } },
  { selector: 'node.depth-2', style: { 'background-color': FAR, color: FAR, width: 14, height: 14, 'z-index': 1 } },
  { selector: 'node.depth-2.quiet', style: { 'text-opacity': 0 } },
  {
    selector: 'edge',
    style: {
      width: 'mapData(weight, 1, 5, 1, 5)',
      'line-color': '#b1b4b6',
      'curve-style': 'haystack',
    },
  },
]

/** Keeps labels at their size on screen, and quiet two links away until the reader zooms in. */
function sizeLabels(cy) {
  const zoom = cy.zoom()
  cy.batch(() => {
    for (const depth of [0, 1, 2]) {
      cy.nodes(`.depth-${depth}`).style({
        'font-size': LABEL_PX[depth] / zoom,
        'text-margin-y': 3 / zoom,
        'text-max-width': 160 / zoom,
        'text-background-padding': 2 / zoom,
      })
    }
    cy.nodes('.depth-2').toggleClass('quiet', zoom < FAR_LABEL_MIN_ZOOM)
  })
}

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
    layout: { name: 'preset' },
    minZoom: 0.2,
    maxZoom: 3,
    wheelSensitivity: 0.2,
  })
  const layout = cy.layout({
    name: 'cose',
    animate: false,
    randomize: true,
    nodeDimensionsIncludeLabels: true,
    // Laid out in the box itself, so that it fits at about its natural size and labels keep their room.
    boundingBox: {
      x1: 0,
      y1: 0,
      w: Math.min(container.clientWidth, 200 + 60 * cy.nodes().length),
      h: Math.min(container.clientHeight, 150 + 40 * cy.nodes().length),
    },
    nodeRepulsion: node => (node.hasClass('depth-2') ? 8_000 : 60_000),
    idealEdgeLength: edge => (edge.source().hasClass('depth-2') || edge.target().hasClass('depth-2') ? 50 : 110),
    componentSpacing: 60,
    fit: false,
  })
  layout.one('layoutstop', () => {
    // The whole network in the box, with room for the labels at its edges.
    cy.fit(undefined, 40)
    // A small network stays at its natural size in the middle, rather than stretched to the corners.
    if (cy.zoom() > 1) {
      cy.zoom(1)
      cy.center()
    }
    sizeLabels(cy)
    container.dataset.drawn = 'true'
  })
  layout.run()
  cy.on('zoom', () => sizeLabels(cy))
  cy.on('mouseover', 'node.depth-2', event => event.target.removeClass('quiet'))
  cy.on('mouseout', 'node.depth-2', event => event.target.toggleClass('quiet', cy.zoom() < FAR_LABEL_MIN_ZOOM))
  cy.on('tap', 'node', event => {
    const href = event.target.data('href')
    if (href) window.location.assign(href)
  })
}

drawNetwork()
