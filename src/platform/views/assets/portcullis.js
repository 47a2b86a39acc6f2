// Progressive enhancement only: every task works without this file.
import { initAll } from '/assets/govuk/govuk-frontend.min.js'
import { initAll as initMoj } from '/assets/moj/moj-frontend.min.js'

initAll()
initMoj()
