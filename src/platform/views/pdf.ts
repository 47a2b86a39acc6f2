import PDFDocument from 'pdfkit'

export type Pdf = PDFKit.PDFDocument

/** An A4 PDF built by `write`, as a Buffer: OFFICIAL-SENSITIVE marking at the head, GOV.UK-ish type. */
export function renderPdf(title: string, write: (doc: Pdf) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title } })
    const chunks: Buffer[] = []
    doc.on('data', chunk => chunks.push(chunk as Buffer))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .fillColor('#505a5f')
      .text('OFFICIAL-SENSITIVE')
      .fillColor('#0b0c0c')
      .moveDown(0.5)
    write(doc)
    doc.end()
  })
}

/** A labelled block: bold label, then the text as written (line breaks kept). */
export function pdfField(doc: Pdf, label: string, text: string) {
  doc.moveDown(0.4).font('Helvetica-Bold').fontSize(10).text(label)
  doc.font('Helvetica').fontSize(10).text(text)
}
