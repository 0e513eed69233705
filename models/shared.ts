import mongoose from 'mongoose'

/** Options every collection shares: timestamps, and no mongoose version key (we keep our own). */
export const baseSchemaOptions = {
  timestamps: true,
  versionKey: false,
  minimize: false,
} as const

/**
 * Registers a model once, so Vite's dev reloads and tests reuse it instead of throwing.
 * Usage: defineModel('User', () => model('User', userSchema, 'users')) keeps mongoose's inferred types.
 */
export function defineModel<M>(name: string, build: () => M): M {
  return (mongoose.models[name] as M | undefined) ?? build()
}
