import { ForbiddenError } from '../../platform/http/errors.ts'
import type { Pages } from '../../platform/http/pages.ts'
import type { StrategySections } from '../../platform/strategy/sections.ts'
import { pdfField, renderPdf } from '../../platform/views/pdf.ts'
import { RISK_AREA_NAMES, RISK_AREAS, wordDiff } from './rules.ts'
import { compareQuery, establishmentQuery, idParams, instructionSchema } from './schema.ts'
import type { LssService } from './service.ts'

type Strategy = Awaited<ReturnType<LssService['strategy']>>
type InstructionView = Awaited<ReturnType<LssService['instruction']>>
type Version = InstructionView['versions'][number]

/** The strategy's instructions under the risk areas of the policy framework, in its order. */
function byArea(strategy: Strategy) {
  return RISK_AREAS.map(area => ({
    area,
    name: RISK_AREA_NAMES[area],
    instructions: strategy.instructions.filter(i => i.riskArea === area),
  }))
}

/**
 * The strategy as a whole: on screen, to print, as a PDF; and who has read it. Other modules' parts of the strategy
 * (the searching strategy) come as sections, so the LSS module knows none of them.
 */
export function strategyPages(pages: Pages, lss: LssService, sections: StrategySections) {
  pages.get('/lss', {
    permission: 'lss:read',
    query: establishmentQuery,
    handler: async ({ user, query, render }) => {
      const strategy = await lss.strategy(user, query.establishment ?? user.establishmentCode)
      return render('strategy', {
        ...strategy,
        byArea: byArea(strategy),
        unread: strategy.instructions.filter(i => !i.acknowledgedAt).length,
        awaiting: await lss.awaiting(user),
        canEdit: await lss.canEdit(user, strategy.establishment.code),
        sections: await sections.load(user, strategy.establishment.code),
      })
    },
  })

  pages.get('/lss/print', {
    permission: 'lss:read',
    query: establishmentQuery,
    handler: async ({ user, query, render }) => {
      const strategy = await lss.strategy(user, query.establishment ?? user.establishmentCode)
      return render('print', { ...strategy, byArea: byArea(strategy) })
    },
  })

  pages.get('/lss/print.pdf', {
    permission: 'lss:read',
    query: establishmentQuery,
    handler: async ({ user, query, reply }) => {
      const strategy = await lss.strategy(user, query.establishment ?? user.establishmentCode)
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="lss-${strategy.establishment.code}.pdf"`)
        .send(await strategyPdf(strategy))
    },
  })

  pages.get('/lss/acknowledgements', {
    permission: 'lss:read',
    query: establishmentQuery,
    handler: async ({ user, query, render }) =>
      render('acknowledgements', await lss.acknowledgements(user, query.establishment ?? user.establishmentCode)),
  })
}

/** Compares two versions field by field: the one asked for, or the one this person last confirmed reading. */
function versionDiff(view: InstructionView, query: { from?: number; to?: number }) {
  const current = view.versions[0]
  const fromVersion = view.versions.find(v => v.version === query.from)
  const toVersion = view.versions.find(v => v.version === (query.to ?? current.version)) ?? current
  const read = view.acknowledged
  const changedSinceRead =
    read && read.version < current.version ? view.versions.find(v => v.version === read.version) : undefined
  const compareWith: Version | undefined = fromVersion ?? changedSinceRead
  if (!compareWith) return null
  return {
    from: compareWith.version,
    to: toVersion.version,
    aimAndPurpose: wordDiff(compareWith.aimAndPurpose, toVersion.aimAndPurpose),
    nationalReference: wordDiff(compareWith.nationalReference, toVersion.nationalReference),
    localReference: wordDiff(compareWith.localReference, toVersion.localReference),
    procedures: wordDiff(compareWith.procedures, toVersion.procedures),
  }
}

/** One local instruction: publishing it, reading it and its versions, confirming it has been read. */
export function instructionPages(pages: Pages, lss: LssService) {
  pages.get('/lss/instructions/new', {
    permission: 'lss:read',
    handler: async ({ user, render }) => {
      if (!(await lss.canEdit(user, user.establishmentCode))) throw new ForbiddenError()
      return render('instruction-new', { values: {} })
    },
  })

  pages.post('/lss/instructions/new', {
    permission: 'lss:read',
    body: instructionSchema,
    invalid: 'instruction-new',
    handler: async ({ user, body, correlationId, redirect }) => {
      const { id } = await lss.createInstruction(user, body, correlationId)
      return redirect(`/lss/instructions/${id}`, 'Instruction published')
    },
  })

  pages.get('/lss/instructions/:id', {
    permission: 'lss:read',
    params: idParams,
    query: compareQuery,
    handler: async ({ user, params, query, correlationId, render }) => {
      const view = await lss.instruction(user, params.id, correlationId)
      return render('instruction', { ...view, current: view.versions[0], diff: versionDiff(view, query) })
    },
  })

  pages.post('/lss/instructions/:id/acknowledge', {
    permission: 'lss:read',
    params: idParams,
    handler: async ({ user, params, correlationId, redirect }) => {
      await lss.acknowledge(user, params.id, { correlationId })
      return redirect(`/lss/instructions/${params.id}`, 'Thank you: you have confirmed you have read this instruction')
    },
  })
}

/** The whole LSS as one PDF: a title, then each risk area's instructions with the template's fields. */
function strategyPdf(strategy: Strategy): Promise<Buffer> {
  return renderPdf(`Local Security Strategy: ${strategy.establishment.name}`, doc => {
    doc.font('Helvetica-Bold').fontSize(22).text('Local Security Strategy')
    doc.font('Helvetica').fontSize(14).text(strategy.establishment.name)
    doc
      .fontSize(9)
      .fillColor('#505a5f')
      .text(`Printed ${new Date().toISOString().slice(0, 10)}.`)
    doc.fillColor('#0b0c0c')
    for (const { name, instructions } of byArea(strategy)) {
      if (instructions.length === 0) continue
      doc.moveDown(1.5).font('Helvetica-Bold').fontSize(16).text(name)
      for (const i of instructions) {
        doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(`${i.ref}  ${i.title} (version ${i.currentVersion})`)
        doc.font('Helvetica').fontSize(9).fillColor('#505a5f').text(`Owner: ${i.owner}`).fillColor('#0b0c0c')
        pdfField(doc, 'Aim and purpose', i.aimAndPurpose)
        pdfField(doc, 'National reference', i.nationalReference)
        pdfField(doc, 'Local reference', i.localReference)
        pdfField(doc, 'Local system procedures and requirements', i.procedures)
      }
    }
  })
}
