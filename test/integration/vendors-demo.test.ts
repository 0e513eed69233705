import { describe, expect, it } from 'vitest'
import { VendorModel } from '~models/vendor'
import { UserModel } from '~models/user'
import { createUser } from '~/modules/auth/users.server'
import { isValidCreditCode } from '~/modules/vendors/credit-code'
import { DEMO_VENDORS, seedVendors } from '~/modules/vendors/demo.server'
import { VENDOR_CATEGORIES } from '~/modules/vendors/vocabulary'

describe('demo vendors', () => {
  it('seed quickly, once, with valid codes, every category and every tier, owned by demo staff', async () => {
    for (const [email, role] of [['procurement@clausewise.local', 'procurement'], ['compliance@clausewise.local', 'compliance']] as const) {
      await createUser({ email, name: role, password: 'password-password', role })
    }
    const started = Date.now()
    await seedVendors(() => undefined)
    expect(Date.now() - started).toBeLessThan(2000)
    await seedVendors(() => undefined) // idempotent
    const vendors = await VendorModel.find().lean()
    expect(vendors).toHaveLength(DEMO_VENDORS.length)
    expect(vendors.length).toBeGreaterThanOrEqual(20)
    expect(new Set(vendors.map((vendor) => vendor.effectiveTier))).toEqual(new Set([1, 2, 3, 4]))
    expect(new Set(vendors.map((vendor) => vendor.category))).toEqual(new Set(VENDOR_CATEGORIES))
    const domestic = vendors.filter((vendor) => vendor.creditCode)
    expect(domestic.every((vendor) => isValidCreditCode(vendor.creditCode!))).toBe(true)
    expect(vendors.filter((vendor) => vendor.foreignRegistration?.country).length).toBeGreaterThanOrEqual(3)
    const owners = new Set(vendors.map((vendor) => String(vendor.businessOwnerId)))
    const staff = await UserModel.find({ email: /@clausewise\.local$/ }).lean()
    expect([...owners].sort()).toEqual(staff.map((user) => String(user._id)).sort())
    expect(vendors.every((vendor) => vendor.contacts.length > 0 && vendor.contacts.every((contact) => contact.email.endsWith('.example')))).toBe(true)
    // Each count of the tiers, for the record: the demo's tier notes stay true.
    const perTier = [1, 2, 3, 4].map((tier) => vendors.filter((vendor) => vendor.effectiveTier === tier).length)
    expect(perTier).toEqual([6, 5, 5, 4])
  })
})
