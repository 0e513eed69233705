import { model, Schema } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

/** The documents of the collection, by _id, and the fields each one keeps. */
export interface SettingsFields {
  schedule: 'defaultCadenceMonths' | 'tierCadenceMonths' | 'issueAheadDays' | 'reminderOffsetsDays' | 'escalation' | 'contractExpiryWarningDays' | 'documentExpiryWarningDays'
  review: 'makerCheckerTiers'
  retention: 'retentionYears'
  security: 'twoFactorRoles' | 'sessionIdleMinutes' | 'sessionAbsoluteHours'
}
export type SettingsId = keyof SettingsFields

/** A settings document as stored (lean); absent fields mean the defaults. */
export interface SettingsRecord {
  _id: SettingsId
  defaultCadenceMonths?: number
  tierCadenceMonths?: Partial<Record<'1' | '2' | '3' | '4', number | null>>
  issueAheadDays?: number
  reminderOffsetsDays?: number[]
  escalation?: { enabled?: boolean; everyDays?: number }
  contractExpiryWarningDays?: number
  documentExpiryWarningDays?: number
  makerCheckerTiers?: number[]
  retentionYears?: number
  twoFactorRoles?: string[]
  sessionIdleMinutes?: number
  sessionAbsoluteHours?: number
  updatedBy?: { id: string; name: string }
  version: number
  createdAt: Date
  updatedAt: Date
}

// The institution's scheduling settings: one document, _id "schedule". Absent fields fall back to
// the defaults in app/modules/schedule/settings.ts, so a fresh database needs no seeding.
const settingsSchema = new Schema<SettingsRecord>(
  {
    _id: { type: String, required: true },
    defaultCadenceMonths: { type: Number, min: 1, max: 36 },
    // Per inherent risk tier ("1" … "4"); unset = the default cadence.
    tierCadenceMonths: {
      '1': { type: Number, min: 1, max: 36 },
      '2': { type: Number, min: 1, max: 36 },
      '3': { type: Number, min: 1, max: 36 },
      '4': { type: Number, min: 1, max: 36 },
    },
    issueAheadDays: { type: Number, min: 1, max: 120 },
    reminderOffsetsDays: { type: [Number], default: undefined },
    escalation: {
      enabled: { type: Boolean },
      everyDays: { type: Number, min: 1, max: 60 },
    },
    contractExpiryWarningDays: { type: Number, min: 1, max: 365 },
    // Days before a vendor document's expiry that procurement and the vendor's contacts are reminded.
    documentExpiryWarningDays: { type: Number, min: 1, max: 365 },
    // Document "review": the inherent risk tiers on which who reviewed may not sign off (maker-checker).
    makerCheckerTiers: { type: [Number], default: undefined },
    // Document _id "retention" only: years an offboarded vendor's records are kept (app/modules/offboarding).
    retentionYears: { type: Number, min: 1, max: 30 },
    // Document "security" (app/modules/auth/security-settings.server.ts): roles that must use two-factor
    // sign-in, session idle timeout and absolute lifetime.
    twoFactorRoles: { type: [String], default: undefined },
    sessionIdleMinutes: { type: Number, min: 1, max: 1440 },
    sessionAbsoluteHours: { type: Number, min: 1, max: 720 },
    updatedBy: { id: String, name: String },
    version: { type: Number, default: 0 },
  },
  baseSchemaOptions,
)

export const SettingsModel = defineModel('Settings', () => model<SettingsRecord>('Settings', settingsSchema, 'settings'))
