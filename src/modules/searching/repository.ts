// Every query of searching, finds and evidence. Each part keeps its SQL in its own folder's repository, re-exported
// here, so callers import one repository (docs/architecture.md, "The shape of a module").
export * from './controls/repository.ts'
export * from './exhibits/repository.ts'
export * from './finds/repository.ts'
export * from './phones/repository.ts'
export * from './searches/repository.ts'
