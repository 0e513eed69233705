// The `users` collection: the only module that queries UserModel. Every write is one atomic
// update of one user; lookups go by the unique e-mail or SSO key, or by _id.
import { Types } from 'mongoose'
import { UserModel, type UserRecord, type UserTwoFactorRecord } from '~models/user'
import type { Role } from './roles'
import type { Locale } from '~/i18n/locales'

export type { UserRecord, UserTwoFactorRecord }

/** What mail, option lists and owner fields need of a user. */
export type StaffContact = Pick<UserRecord, '_id' | 'name' | 'email' | 'locale' | 'role'>
export type UserWithoutPassword = Omit<UserRecord, 'passwordHash'>
type UserTwoFactorFields = Pick<UserRecord, '_id' | 'twoFactor'>

const CONTACT = { name: 1, email: 1, locale: 1, role: 1 } as const
const activeOnlyFilter = (activeOnly: boolean | undefined) => (activeOnly ? { active: true } : {})

// --- reads ---------------------------------------------------------------------------------------

/** By the unique e-mail (already trimmed and lower-cased). `activeOnly`: the sign-in lookup. */
export async function findUserByEmail(email: string, options: { activeOnly?: boolean } = {}): Promise<UserRecord | null> {
  return UserModel.findOne({ email, ...activeOnlyFilter(options.activeOnly) }).lean<UserRecord>()
}

export async function findUserBySsoKey(ssoKey: string): Promise<UserRecord | null> {
  return UserModel.findOne({ ssoKey }).lean<UserRecord>()
}

/** The whole record of an active user: the session's user on every request, a password change. */
export async function findActiveUser(id: Types.ObjectId): Promise<UserRecord | null> {
  return UserModel.findOne({ _id: id, active: true }).lean<UserRecord>()
}

export async function findUserRole(id: string): Promise<Role | null> {
  const user = await UserModel.findOne({ _id: id }, { role: 1 }).lean<Pick<UserRecord, '_id' | 'role'>>()
  return user?.role ?? null
}

/** A user's two-factor state; `activeOnly` for the sign-in step. */
export async function findTwoFactorOfUser(id: Types.ObjectId, options: { activeOnly?: boolean } = {}): Promise<UserTwoFactorFields | null> {
  return UserModel.findOne({ _id: id, ...activeOnlyFilter(options.activeOnly) }, { twoFactor: 1 }).lean<UserTwoFactorFields>()
}

/** When the user's two-factor sign-in was enabled, or null: the only field read after a password. */
export async function findTwoFactorEnabledAt(id: Types.ObjectId): Promise<Date | null> {
  const user = await UserModel.findOne({ _id: id }, { 'twoFactor.enabledAt': 1 }).lean<UserTwoFactorFields>()
  return user?.twoFactor?.enabledAt ?? null
}

/** A user as a contact (name, e-mail, language, role); `activeOnly` refuses a deactivated one. */
export async function findStaffContact(id: Types.ObjectId | string, options: { activeOnly?: boolean } = {}): Promise<StaffContact | null> {
  return UserModel.findOne({ _id: id, ...activeOnlyFilter(options.activeOnly) }, CONTACT).lean<StaffContact>()
}

/** The first active user of a role by creation (demo seeding, default owners); `skip` for the next one. */
export async function findFirstStaffOfRole(role: Role, options: { skip?: number } = {}): Promise<StaffContact | null> {
  return UserModel.findOne({ role, active: true }, CONTACT)
    .sort({ createdAt: 1, _id: 1 })
    .skip(options.skip ?? 0)
    .lean<StaffContact>()
}

export async function activeUserExists(id: Types.ObjectId): Promise<boolean> {
  return (await UserModel.exists({ _id: id, active: true })) !== null
}

/** Whether the exact (stored-form) e-mail is used by any user, active or not. */
export async function userEmailExists(email: string): Promise<boolean> {
  return (await UserModel.exists({ email })) !== null
}

/** Zero only on an empty database (the first start); an estimate, so it reads no documents. */
export async function estimatedUserCount(): Promise<number> {
  return UserModel.estimatedDocumentCount()
}

/** Every user for the admin page, without password hashes. */
export async function listUsersWithoutPassword(): Promise<UserWithoutPassword[]> {
  return UserModel.find({}, { passwordHash: 0 }).sort({ role: 1, name: 1 }).lean<UserWithoutPassword[]>()
}

/** Active staff, optionally of some roles: mail recipients and the owner pickers (`sortByName`). */
export async function listActiveStaff(options: { roles?: readonly Role[]; sortByName?: boolean } = {}): Promise<StaffContact[]> {
  const query = UserModel.find({ active: true, ...(options.roles ? { role: { $in: options.roles } } : {}) }, CONTACT)
  if (options.sortByName) query.sort({ name: 1 })
  return query.lean<StaffContact[]>()
}

export async function listStaffContactsByIds(ids: readonly Types.ObjectId[], options: { activeOnly?: boolean } = {}): Promise<StaffContact[]> {
  if (ids.length === 0) return []
  return UserModel.find({ _id: { $in: ids }, ...activeOnlyFilter(options.activeOnly) }, CONTACT).lean<StaffContact[]>()
}

/** The users with these (stored-form) e-mails: matching a CSV's owner column, the demo's owners. */
export async function listUsersByEmails(emails: readonly string[], options: { activeOnly?: boolean } = {}): Promise<Pick<UserRecord, '_id' | 'email'>[]> {
  if (emails.length === 0) return []
  return UserModel.find({ email: { $in: emails }, ...activeOnlyFilter(options.activeOnly) }, { email: 1 }).lean<Pick<UserRecord, '_id' | 'email'>[]>()
}

// --- writes --------------------------------------------------------------------------------------

export type NewUser = Pick<UserRecord, 'email' | 'name' | 'passwordHash' | 'role' | 'locale'> &
  Partial<Pick<UserRecord, 'mustChangePassword' | 'passwordExpiresAt' | 'ssoKey' | 'ssoIssuer'>>

/** Inserts a user (the schema lower-cases and trims the e-mail); a taken e-mail or SSO key throws E11000. */
export async function insertUser(user: NewUser): Promise<UserRecord> {
  const created = await UserModel.create(user)
  return created.toObject<UserRecord>()
}

export async function recordPasswordSignIn(id: Types.ObjectId, now = new Date()): Promise<void> {
  await UserModel.updateOne({ _id: id }, { $set: { failedSignIns: 0, lastSignInAt: now }, $unset: { lockedUntil: 1 } })
}

/** What a sign-in through the identity provider refreshes (the role and name follow the provider). */
export async function recordSsoSignIn(id: Types.ObjectId, changes: Pick<UserRecord, 'lastSignInAt'> & Partial<Pick<UserRecord, 'role' | 'name'>>): Promise<void> {
  await UserModel.updateOne({ _id: id }, { $set: changes })
}

/** Links a password account to an SSO identity, only if it has none yet. */
export async function linkSsoIdentity(id: Types.ObjectId, identity: { ssoKey: string; ssoIssuer: string }): Promise<void> {
  await UserModel.updateOne({ _id: id, ssoKey: { $exists: false } }, { $set: identity })
}

export async function updateUserLocale(id: string, locale: Locale): Promise<void> {
  await UserModel.updateOne({ _id: id }, { $set: { locale } })
}

/** The user's own new password, only while the stored hash is still the one checked. Whether it was written. */
export async function replacePassword(id: Types.ObjectId, change: { checkedHash: string; passwordHash: string; now: Date }): Promise<boolean> {
  const written = await UserModel.updateOne(
    { _id: id, passwordHash: change.checkedHash },
    { $set: { passwordHash: change.passwordHash, mustChangePassword: false, passwordChangedAt: change.now }, $unset: { passwordExpiresAt: 1 } },
  )
  return written.matchedCount > 0
}

/** An admin's reset to a one-time password; the user's e-mail, or null for an unknown id. */
export async function setTemporaryPassword(
  id: Types.ObjectId,
  fields: Pick<UserRecord, 'passwordHash' | 'mustChangePassword'> & { passwordExpiresAt: Date },
): Promise<Pick<UserRecord, '_id' | 'email'> | null> {
  return UserModel.findOneAndUpdate(
    { _id: id },
    { $set: { ...fields, failedSignIns: 0 }, $unset: { lockedUntil: 1 } },
    { new: true, projection: { email: 1 }, lean: true },
  ).lean<Pick<UserRecord, '_id' | 'email'>>()
}

/** A new pending secret for a user not enrolled yet. */
export async function setPendingTwoFactorSecret(id: Types.ObjectId, sealedSecret: string): Promise<void> {
  await UserModel.updateOne({ _id: id, 'twoFactor.enabledAt': null }, { $set: { 'twoFactor.pendingSecret': sealedSecret } })
}

/** Turns the confirmed pending secret into the enrolment, only if it is still the one confirmed. Whether it was written. */
export async function enableTwoFactor(id: Types.ObjectId, twoFactor: { secret: string; enabledAt: Date; lastUsedStep: number; recoveryCodeHashes: string[] }): Promise<boolean> {
  const written = await UserModel.updateOne({ _id: id, 'twoFactor.pendingSecret': twoFactor.secret, 'twoFactor.enabledAt': null }, { $set: { twoFactor } })
  return written.matchedCount > 0
}

/** Moves the last accepted time step forward to `step`; false when another request already did. */
export async function claimTwoFactorStep(id: Types.ObjectId, step: number): Promise<boolean> {
  const written = await UserModel.updateOne({ _id: id, $or: [{ 'twoFactor.lastUsedStep': { $lt: step } }, { 'twoFactor.lastUsedStep': null }] }, { $set: { 'twoFactor.lastUsedStep': step } })
  return written.modifiedCount === 1
}

/** Uses up a recovery code by its hash; false when it is not (or no longer) there. */
export async function spendRecoveryCode(id: Types.ObjectId, hash: string): Promise<boolean> {
  const written = await UserModel.updateOne({ _id: id, 'twoFactor.recoveryCodeHashes': hash }, { $pull: { 'twoFactor.recoveryCodeHashes': hash } })
  return written.modifiedCount === 1
}

/** Removes the user's two-factor state; returns the user as it was before (null for an unknown id). */
export async function removeTwoFactor(id: Types.ObjectId): Promise<Pick<UserRecord, '_id' | 'email' | 'twoFactor'> | null> {
  return UserModel.findOneAndUpdate({ _id: id }, { $unset: { twoFactor: 1 } }, { projection: { email: 1, twoFactor: 1 }, lean: true }).lean<Pick<UserRecord, '_id' | 'email' | 'twoFactor'>>()
}
