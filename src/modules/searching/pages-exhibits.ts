import { z } from 'zod'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ConflictError } from '../../platform/http/errors.ts'
import type { FormState, PageContext, Pages } from '../../platform/http/pages.ts'
import { parseReference } from '../../platform/reference/codes.ts'
import { type Pdf, renderPdf } from '../../platform/views/pdf.ts'
import { formatDateTime, formatTime } from '../../platform/views/views.ts'
import type { ExhibitView } from './exhibits.ts'
import {
  CUSTODY_EVENT_NAMES,
  type CustodyEventKind,
  FIND_CATEGORY_NAMES,
  type FindCategory,
  type Holder,
} from './rules.ts'
import {
  custodyEventPageSchema,
  disposalSchema,
  exhibitPageQuery,
  exhibitPageSchema,
  exhibitParams,
  policeHoldSchema,
} from './schema.ts'
import type { SearchingService } from './service.ts'

// Exhibits on the page (output 12): the register by state, one exhibit with its chain and the gaps in it, and the
// forms that move it, hold it for the police and dispose of it; the label and the continuity sheet to print.

type RefContext = PageContext<{ ref: string }, unknown, unknown>

/** A date and time as the GOV.UK date input and the 24-hour time box show them. */
const dateAndTime = (at: Date) => ({ date: londonToday(at), time: formatTime(at) })

/** The gaps of a chain where they fall: before the first movement, or after a given one. */
function gapsWhereTheyFall(view: ExhibitView) {
  const after: Record<number, string[]> = {}
  for (const gap of view.gaps) {
    if (gap.afterEvent !== null) after[gap.afterEvent] = [...(after[gap.afterEvent] ?? []), gap.text]
  }
  return { before: view.gaps.filter(gap => gap.afterEvent === null).map(gap => gap.text), after }
}

async function showExhibit(searching: SearchingService, context: RefContext, extra: Record<string, unknown> = {}) {
  const { user, params, correlationId, render } = context
  const view = await searching.exhibit(user, params.ref, correlationId)
  const canManage = user.can('searching:manage', { establishmentCode: view.exhibit.establishmentCode })
  return render('exhibits/exhibit', { ...view, gapsAt: gapsWhereTheyFall(view), canManage, ...extra })
}

/** A form about one exhibit: the exhibit, the staff to choose from, and what was typed. */
async function showForm(
  searching: SearchingService,
  view: string,
  context: RefContext,
  form: Partial<FormState> & { values?: unknown },
  status?: number,
) {
  const { user, params, correlationId, render } = context
  const exhibit = await searching.exhibit(user, params.ref, correlationId)
  const staff = await searching.staffChoices(exhibit.exhibit.establishmentCode)
  return render(`exhibits/${view}`, { ...exhibit, staff, ...form }, status)
}

/** The register of exhibits, and making one from a find. */
export function exhibitPages(pages: Pages, searching: SearchingService) {
  pages.get('/searching/exhibits', {
    permission: 'searching:read',
    query: exhibitPageQuery,
    handler: async ({ user, query, render }) => {
      const { establishment, exhibits } = await searching.exhibitsAt(
        user,
        query.establishment ?? user.establishmentCode,
      )
      const shown = exhibits
        .filter(x => !query.state || x.state === query.state)
        .filter(x => !query.gaps || x.gaps.length > 0)
      const counts = Object.fromEntries(
        ['with-officer', 'in-store', 'with-police', 'disposed'].map(state => [
          state,
          exhibits.filter(x => x.state === state).length,
        ]),
      )
      const withGaps = exhibits.filter(x => x.gaps.length > 0).length
      return render('exhibits/list', {
        establishment,
        exhibits: shown,
        counts,
        withGaps,
        filter: query,
        total: exhibits.length,
      })
    },
  })

  const newQuery = z.object({ findRef: z.string().max(60).optional().catch(undefined) })
  const showNew = async (
    context: PageContext<unknown, unknown, unknown>,
    form: Partial<FormState>,
    findRef?: string,
  ) => {
    const { user, render } = context
    const ref = findRef ? parseReference('FD', findRef) : null
    const find = ref ? await searching.findForExhibit(user, ref) : undefined
    const staff = await searching.staffChoices(find?.establishmentCode ?? user.establishmentCode)
    const found = find && dateAndTime(find.foundAt)
    const values = form.values ?? {
      findRef: find?.ref ?? findRef,
      seizedBy: find?.foundBy,
      seizedDate: found?.date,
      seizedTime: found?.time,
    }
    return render('exhibits/new', { find, staff, ...form, values })
  }

  pages.get('/searching/exhibits/new', {
    permission: 'searching:manage',
    query: newQuery,
    handler: context => showNew(context, {}, context.query.findRef),
  })

  pages.post('/searching/exhibits/new', {
    permission: 'searching:manage',
    body: exhibitPageSchema,
    invalid: (context, form) =>
      showNew(context, form, String((form.values as Record<string, unknown>)?.findRef ?? '') || undefined),
    handler: async ({ user, body, correlationId, redirect }) => {
      const { ref } = await searching.createExhibit(user, body, correlationId)
      return redirect(`/searching/exhibits/${ref}`, `Exhibit ${ref} made: print its label to go on the bag`)
    },
  })

  pages.get('/searching/exhibits/:ref', {
    permission: 'searching:read',
    params: exhibitParams,
    handler: context => showExhibit(searching, context),
  })

  printPages(pages, searching)
  custodyPages(pages, searching)
  holdAndDisposalPages(pages, searching)
}

/** Recording a movement: the custodian gives it unless the person says otherwise, now unless they say when. */
function custodyPages(pages: Pages, searching: SearchingService) {
  pages.get('/searching/exhibits/:ref/custody-events/new', {
    permission: 'searching:manage',
    params: exhibitParams,
    handler: async context => {
      const { user, params, correlationId } = context
      const view = await searching.exhibit(user, params.ref, correlationId)
      const now = dateAndTime(new Date())
      return showForm(searching, 'custody-event', context, {
        values: { from: view.custodianChoice, eventDate: now.date, eventTime: now.time },
      })
    },
  })

  pages.post('/searching/exhibits/:ref/custody-events/new', {
    permission: 'searching:manage',
    params: exhibitParams,
    body: custodyEventPageSchema,
    invalid: (context, form) => showForm(searching, 'custody-event', context, form),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await searching.recordCustodyEvent(user, params.ref, body, correlationId)
      return redirect(`/searching/exhibits/${params.ref}`, 'Movement recorded in the chain of custody')
    },
  })
}

/** A refusal that is about the exhibit as it stands (a hold, the custodian), shown on the form as its first error. */
function refusedOnForm(error: unknown, href: string) {
  if (!(error instanceof ConflictError)) throw error
  return { errors: { summary: [{ text: error.message, href }], byField: {} } }
}

function holdAndDisposalPages(pages: Pages, searching: SearchingService) {
  pages.get('/searching/exhibits/:ref/police-hold', {
    permission: 'searching:manage',
    params: exhibitParams,
    handler: context => showForm(searching, 'police-hold', context, { values: {} }),
  })

  pages.post('/searching/exhibits/:ref/police-hold', {
    permission: 'searching:manage',
    params: exhibitParams,
    body: policeHoldSchema,
    invalid: (context, form) => showForm(searching, 'police-hold', context, form),
    handler: async context => {
      const { user, params, body, correlationId, redirect, request } = context
      try {
        await searching.placePoliceHold(user, params.ref, body, correlationId)
      } catch (error) {
        return showForm(
          searching,
          'police-hold',
          context,
          { ...refusedOnForm(error, '#officer'), values: request.body },
          409,
        )
      }
      return redirect(
        `/searching/exhibits/${params.ref}`,
        'Police hold placed: it cannot be disposed of until it is lifted',
      )
    },
  })

  pages.post('/searching/exhibits/:ref/police-hold/lift', {
    permission: 'searching:manage',
    params: exhibitParams,
    handler: async context => {
      const { user, params, correlationId, redirect } = context
      try {
        await searching.liftPoliceHold(user, params.ref, correlationId)
      } catch (error) {
        const refused = refusedOnForm(error, '#main-content')
        context.reply.code(409)
        return showExhibit(searching, context, refused)
      }
      return redirect(`/searching/exhibits/${params.ref}`, 'Police hold lifted')
    },
  })

  pages.get('/searching/exhibits/:ref/disposal', {
    permission: 'searching:manage',
    params: exhibitParams,
    handler: context => showForm(searching, 'disposal', context, { values: {} }),
  })

  pages.post('/searching/exhibits/:ref/disposal', {
    permission: 'searching:manage',
    params: exhibitParams,
    body: disposalSchema,
    invalid: (context, form) => showForm(searching, 'disposal', context, form),
    handler: async context => {
      const { user, params, body, correlationId, redirect, request } = context
      try {
        await searching.dispose(user, params.ref, body, correlationId)
      } catch (error) {
        return showForm(
          searching,
          'disposal',
          context,
          { ...refusedOnForm(error, '#method'), values: request.body },
          409,
        )
      }
      return redirect(`/searching/exhibits/${params.ref}`, 'Disposal recorded: the chain of custody is closed')
    },
  })
}

/** The label for the bag and the continuity sheet, as PDFs to print. */
function printPages(pages: Pages, searching: SearchingService) {
  const pdf = (name: string, make: (view: ExhibitView) => Promise<Buffer>) =>
    pages.get(`/searching/exhibits/:ref/${name}.pdf`, {
      permission: 'searching:read',
      params: exhibitParams,
      handler: async ({ user, params, correlationId, reply }) => {
        const view = await searching.exhibit(user, params.ref, correlationId)
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${view.exhibit.ref}-${name}.pdf"`)
          .send(await make(view))
      },
    })
  pdf('label', labelPdf)
  pdf('continuity', continuityPdf)
}

const category = (view: ExhibitView) =>
  FIND_CATEGORY_NAMES[view.exhibit.findCategory as FindCategory] ?? view.exhibit.findCategory

const holderName = (holder: Holder) => holder.name

/** The label for the evidence bag: what it is, its seal, where it came from and who seized it. */
function labelPdf(view: ExhibitView): Promise<Buffer> {
  const x = view.exhibit
  return renderPdf(`Exhibit label ${x.ref}`, doc => {
    doc.font('Helvetica-Bold').fontSize(12).text('EXHIBIT')
    doc.font('Helvetica-Bold').fontSize(26).text(x.ref)
    labelLine(doc, 'Seal number', view.seal)
    labelLine(doc, 'Prison', x.establishmentName)
    labelLine(doc, 'Find', `${category(view)} (${x.findRef})`)
    labelLine(doc, 'Description', x.findDescription)
    labelLine(doc, 'Seized by', x.seizedBy)
    labelLine(doc, 'Seized at', formatDateTime(x.seizedAt))
    labelLine(doc, 'Stored at', x.storedAt)
  })
}

function labelLine(doc: Pdf, label: string, text: string) {
  doc.moveDown(0.4).font('Helvetica-Bold').fontSize(11).text(`${label}: `, { continued: true })
  doc.font('Helvetica').text(text)
}

/** The continuity sheet: the exhibit, then every custody event with lines for the two people and the witness to sign. */
function continuityPdf(view: ExhibitView): Promise<Buffer> {
  const x = view.exhibit
  return renderPdf(`Continuity sheet ${x.ref}`, doc => {
    doc.font('Helvetica-Bold').fontSize(20).text(`Continuity of exhibit ${x.ref}`)
    doc.font('Helvetica').fontSize(10)
    doc.text(`${category(view)}: ${x.findDescription}. Find ${x.findRef}, ${x.establishmentName}.`)
    doc.text(`Seized by ${x.seizedBy}, ${formatDateTime(x.seizedAt)}, under seal ${x.sealNumber}.`)
    view.events.forEach((event, index) => {
      doc.moveDown(1).font('Helvetica-Bold').fontSize(11)
      doc.text(
        `${index + 1}. ${CUSTODY_EVENT_NAMES[event.kind as CustodyEventKind] ?? event.kind}, ${formatDateTime(event.at)}`,
      )
      doc.font('Helvetica').fontSize(10)
      doc.text(`From ${holderName(event.from)} to ${holderName(event.to)}, at ${event.location}. Why: ${event.reason}`)
      const seal = `Seal ${event.sealNumber}, ${event.sealIntact ? 'intact' : 'NOT intact'}`
      doc.text(event.witnessName ? `${seal}. Witness: ${event.witnessName}.` : `${seal}.`)
      if (event.policeOfficer) {
        doc.text(`Police: ${event.policeOfficer}, ${event.policeForce}, crime reference ${event.crimeReference}.`)
      }
      signatureLines(doc, event.witnessName ? ['Given by', 'Received by', 'Witness'] : ['Given by', 'Received by'])
    })
    if (x.disposedAt) {
      doc
        .moveDown(1)
        .font('Helvetica-Bold')
        .fontSize(11)
        .text(`Disposed of, ${formatDateTime(x.disposedAt)}`)
      doc.font('Helvetica').fontSize(10).text(`By ${x.disposedByName}, witnessed by ${x.disposalWitnessName}.`)
      signatureLines(doc, ['Disposed of by', 'Witness'])
    } else {
      doc.moveDown(1).font('Helvetica-Bold').fontSize(11).text('Next movement')
      doc.font('Helvetica').fontSize(10).text('When, from, to, where, why, seal number and whether intact:')
      signatureLines(doc, ['Given by', 'Received by', 'Witness'])
    }
  })
}

function signatureLines(doc: Pdf, who: readonly string[]) {
  doc.moveDown(0.6)
  for (const role of who) doc.text(`${role}: name ______________________  signature ______________________`)
}
