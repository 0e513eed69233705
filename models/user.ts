import { model, Schema, type Types } from 'mongoose'
import { ROLES, type Role } from '../app/modules/auth/roles'
import { LOCALES, type Locale } from '../app/i18n/locales'
import { baseSchemaOptions, defineModel } from './shared'

/** Two-factor sign-in state (app/modules/auth/two-factor.server.ts); absent until a user starts enrolling. */
export interface UserTwoFactorRecord {
  /** The confirmed TOTP secret, sealed with TOTP_ENCRYPTION_KEY. */
  secret?: string | null
  /** A secret shown as a QR code and not yet confirmed by a code, sealed the same way. */
  pendingSecret?: string | null
  enabledAt?: Date | null
  /** The last accepted time step: a code is accepted only for a later one (no replay). */
  lastUsedStep?: number | null
  /** SHA-256 hashes of the recovery codes not used yet. */
  recoveryCodeHashes?: string[] | null
}

/** A staff user as stored (lean). */
export interface UserRecord {
  _id: Types.ObjectId
  email: string
  name: string
  passwordHash: string
  role: Role
  locale: Locale
  active: boolean
  failedSignIns: number
  lockedUntil?: Date | null
  lastSignInAt?: Date | null
  mustChangePassword: boolean
  passwordExpiresAt?: Date | null
  passwordChangedAt?: Date | null
  ssoKey?: string | null
  ssoIssuer?: string | null
  twoFactor?: UserTwoFactorRecord | null
  createdAt: Date
  updatedAt: Date
}

const userSchema = new Schema<UserRecord>(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, required: true, trim: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    locale: { type: String, enum: LOCALES, default: 'zh-CN' },
    active: { type: Boolean, default: true },
    failedSignIns: { type: Number, default: 0 },
    lockedUntil: { type: Date },
    lastSignInAt: { type: Date },
    // A password someone else knows (printed at first start, set or reset by an admin): the user
    // must choose a new one before reaching anything else, and it stops working at passwordExpiresAt.
    mustChangePassword: { type: Boolean, default: false },
    passwordExpiresAt: { type: Date },
    passwordChangedAt: { type: Date },
    // Single sign-on identity: "<issuer> <sub>", the provider's stable key for this person (the
    // e-mail can change or be reused). Unset for password-only users.
    ssoKey: { type: String },
    ssoIssuer: { type: String },
    // Two-factor sign-in (app/modules/auth/two-factor.server.ts): secrets encrypted with
    // TOTP_ENCRYPTION_KEY, recovery codes as SHA-256 hashes, the last accepted time step (no replay).
    twoFactor: {
      secret: { type: String },
      pendingSecret: { type: String },
      enabledAt: { type: Date },
      lastUsedStep: { type: Number },
      recoveryCodeHashes: { type: [String], default: undefined },
    },
  },
  baseSchemaOptions,
)
userSchema.index({ email: 1 }, { unique: true })
userSchema.index({ ssoKey: 1 }, { unique: true, sparse: true })

export const UserModel = defineModel('User', () => model<UserRecord>('User', userSchema, 'users'))
