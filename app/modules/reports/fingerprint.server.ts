import { createHash } from 'node:crypto'
import { canonicalJson, type ReportData } from './report-data'

/**
 * SHA-256 of the report's content: the canonical JSON of its data. The generation time and the
 * person downloading are not part of the data, so the same assessment in the same language gives
 * the same fingerprint however often it is downloaded; any change to what the report says changes it.
 */
export function reportFingerprint(data: ReportData): string {
  return createHash('sha256').update(canonicalJson(data), 'utf8').digest('hex')
}
