// Demo step: one open incident whose vendor told us too late (a finding against the breach
// clause, overdue tasks), and one closed incident reported in time with every task done. Runs
// after the schedule step: the incident triggers bring those vendors' reassessments forward.
import { findFirstStaffOfRole } from '~/modules/auth/user-store.server'
import { listActiveContractVendorIds } from '~/modules/contracts/contract-store.server'
import { listVendorsByIds } from '~/modules/vendors/vendor-store.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { getEnv } from '~/env.server'
import { toLocalDateTime } from './deadline'
import { findIncidentPart } from './incident-store.server'
import { INCIDENT_TASK_KINDS } from './vocabulary'
import { reportIncident, transitionIncident, updateIncidentTask } from './writes.server'

type Log = (line: string) => void
const HOUR = 3_600_000
/** Recording an incident also records its consequences on it (timeline, version): read the version after. */
const versionOf = async (id: string) => (await findIncidentPart(id, 'version'))?.version ?? 0

export async function seedIncidentsDemo(log: Log) {
  const compliance = await findFirstStaffOfRole('compliance')
  const vendors = await listVendorsByIds(await listActiveContractVendorIds(2), 'name')
  if (!compliance || vendors.length < 2) return
  const user: SessionUser = { id: String(compliance._id), email: compliance.email, name: compliance.name, role: 'compliance', locale: compliance.locale }
  const zone = getEnv().INSTITUTION_TIMEZONE
  const local = (instant: number) => toLocalDateTime(new Date(instant), zone)
  const now = Date.now()

  const open = await reportIncident({
    reporter: { kind: 'staff', user },
    now: new Date(now - 2 * HOUR),
    raw: {
      vendorId: String(vendors[0]!._id),
      title: '客服工单系统导出文件被未授权访问 Customer-service export accessed without authorisation',
      description: 'A support engineer left an export of customer tickets on a file share without access control; it was downloaded from an unknown address. 客服工程师将工单导出文件放在未设访问控制的共享目录，被未知地址下载。',
      occurredAt: local(now - 140 * HOUR),
      detectedAt: local(now - 120 * HOUR),
      notifiedAt: local(now - 90 * HOUR), // 30 hours after detection: the 24-hour clause is missed; the regulator task is overdue
      piCategories: ['identity', 'contact', 'account_auth'],
      recordCount: 18_400,
      customerCount: 12_650,
      crossBorder: 'false',
      cause: 'human_error',
      containment: 'Share closed, credentials of affected accounts reset. 已关闭共享目录并重置受影响账户的凭证。',
      reporterName: 'Vendor security desk',
    },
  })
  if (open.ok) await transitionIncident(open.incidentId, { intent: 'transition', to: 'triaged', version: await versionOf(open.incidentId), note: 'Confirmed by the vendor.' }, user)

  const closed = await reportIncident({
    reporter: { kind: 'staff', user },
    now: new Date(now - 30 * 24 * HOUR),
    raw: {
      vendorId: String(vendors[1]!._id),
      title: '营销短信误发 Marketing SMS sent to the wrong list',
      description: 'A campaign was sent to an outdated list; 320 customers received a message meant for others. 营销活动误用旧名单，320名客户收到发给他人的短信。',
      occurredAt: local(now - 31 * 24 * HOUR),
      detectedAt: local(now - 31 * 24 * HOUR + 2 * HOUR),
      notifiedAt: local(now - 31 * 24 * HOUR + 6 * HOUR),
      piCategories: ['contact'],
      recordCount: 320,
      customerCount: 320,
      cause: 'human_error',
      containment: 'Campaign stopped; list corrected. 已停止活动并更正名单。',
      reporterName: user.name,
    },
  })
  if (closed.ok) {
    let version = await versionOf(closed.incidentId)
    for (const kind of INCIDENT_TASK_KINDS) {
      const result = await updateIncidentTask(closed.incidentId, { intent: 'task', kind, ownerId: user.id, dueAt: local(now - 20 * 24 * HOUR), done: 'on', note: 'Done.', version }, user)
      if (result.ok) version = result.version
    }
    for (const to of ['triaged', 'contained', 'closed'] as const) {
      const result = await transitionIncident(closed.incidentId, { intent: 'transition', to, version }, user)
      if (result.ok) version = result.version
    }
  }
  log(`[clausewise] demo incidents: ${[open, closed].filter((result) => result.ok).length}`)
}
