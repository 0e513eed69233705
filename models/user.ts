import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { ROLES } from '../app/modules/auth/roles'
import { LOCALES } from '../app/i18n/locales'
import { baseSchemaOptions, defineModel } from './shared'

const userSchema = new Schema(
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

export type UserDocument = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId }
export const UserModel = defineModel('User', () => model('User', userSchema, 'users'))
