// Demo offboardings, through the real functions: one vendor waiting to confirm the deletion of
// its data, one offboarded (request → certificate → compliance acceptance), read-only.
import { addDays } from 'date-fns'
import { findFirstStaffOfRole } from '~/modules/auth/user-store.server'
import { findVendorIdByEnglishName } from '~/modules/vendors/vendor-store.server'
import { getEnv } from '~/env.server'
import { findMailAbout } from '~/modules/mail/mail-message-store.server'
import { dayKey } from '~/modules/schedule/cadence'
import { checkOffboardingAccess } from './links.server'
import { reviewOffboarding, startOffboarding, submitVendorResponse } from './offboarding.server'
import type { VendorResponse } from './schemas'

type Log = (line: string) => void

// A collection agency suspended after a complaint, now leaving; a market-research firm whose survey ended.
const LEAVING = 'Wuhan Hengxin Business Consulting Co., Ltd.'
const OFFBOARDED = 'Hangzhou Shuju Market Research Co., Ltd.'

const CERTIFICATE = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
)

async function staff(role: 'procurement' | 'compliance') {
  const user = await findFirstStaffOfRole(role)
  return user ? { id: String(user._id), name: user.name } : { id: 'demo', name: role }
}

export async function seedOffboardingDemo(log: Log) {
  const zone = getEnv().INSTITUTION_TIMEZONE
  const procurement = await staff('procurement')
  const compliance = await staff('compliance')
  const leaving = await findVendorIdByEnglishName(LEAVING)
  const gone = await findVendorIdByEnglishName(OFFBOARDED)
  if (leaving) {
    await startOffboarding(String(leaving), { intent: 'start', reason: '投诉核实后终止催收委托 / Collection mandate ended after a complaint', endDate: dayKey(addDays(new Date(), 21), zone) }, procurement)
  }
  if (gone) {
    const started = await startOffboarding(String(gone), { intent: 'start', reason: '调研项目结束 / Survey programme ended', endDate: dayKey(addDays(new Date(), -10), zone) }, procurement)
    if (!started.ok) return
    const mail = await findMailAbout({ kind: 'offboarding', id: started.offboardingId })
    const token = /\/o\/([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1]
    const checked = await checkOffboardingAccess(token)
    if (!checked.ok) return
    const categories = Object.fromEntries(
      checked.access.offboarding.categories.map((category) => [category, { disposal: 'deleted' as const, method: '数据库记录安全擦除并覆写备份 / Secure wipe and backup overwrite', date: dayKey(addDays(new Date(), -12), zone) }]),
    ) as VendorResponse['categories']
    await submitVendorResponse(checked.access, { categories, attestationName: '韩梅', attestationTitle: '研究总监', confirm: true }, new File([CERTIFICATE], '数据删除证明.pdf', { type: 'application/pdf' }))
    await reviewOffboarding(String(gone._id), { intent: 'review', decision: 'accept', comment: '删除证明齐全 / Certificate complete' }, compliance)
  }
  log(`[clausewise] demo offboarding: ${leaving ? 'one vendor offboarding' : 'no vendor offboarding'}, ${gone ? 'one offboarded' : 'none offboarded'}`)
}
