/** One figure of evidence for the LSS risk assessment: "Reports about drugs: 41". */
export type EvidenceFigure = { label: string; value: number }

/**
 * A module's evidence for the LSS risk assessment (LSS PF 6.5): a source named as the framework names it, and its
 * figures for an establishment since a date. Made with the module's service; counts only, never intelligence text.
 */
export type EvidenceSource = {
  source: string
  figures(establishmentCode: string, since: Date): Promise<EvidenceFigure[]>
}
