// Whether a vendor may still be changed. An offboarded vendor is kept, read-only, for the
// retention period: the write functions of other domains ask here and refuse with a 409.
import { Types } from 'mongoose'
import { offboardingExistsFor } from './offboarding-store.server'
import { findVendorFields } from '~/modules/vendors/vendor-store.server'

/** The message every refused edit of an offboarded vendor carries. */
export const READ_ONLY_MESSAGE = 'offboarding:errors.readOnly'

const asObjectId = (id: string | Types.ObjectId) => (typeof id !== 'string' ? id : /^[a-f0-9]{24}$/i.test(id) ? new Types.ObjectId(id) : null)

export async function isVendorReadOnly(vendorId: string | Types.ObjectId): Promise<boolean> {
  const id = asObjectId(vendorId)
  if (!id) return false
  const vendor = await findVendorFields(id, 'status')
  return vendor?.status === 'offboarded'
}

/** No new assessments once offboarding has started. */
export async function isVendorLeaving(vendorId: string | Types.ObjectId): Promise<boolean> {
  const id = asObjectId(vendorId)
  if (!id) return false
  return (await offboardingExistsFor(id)) || (await isVendorReadOnly(id))
}
