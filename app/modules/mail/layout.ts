// A plain, bilingual-friendly e-mail body: the same content as text and as simple HTML.
import { spaceMixedScript } from '~/i18n/spacing'

export { spaceMixedScript }
export interface MailContent {
  greeting: string
  paragraphs: string[]
  action?: { label: string; url: string }
  footer: string
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

export function renderMail(input: MailContent): { text: string; html: string } {
  const content: MailContent = {
    greeting: spaceMixedScript(input.greeting),
    paragraphs: input.paragraphs.map(spaceMixedScript),
    action: input.action ? { label: spaceMixedScript(input.action.label), url: input.action.url } : undefined,
    footer: spaceMixedScript(input.footer),
  }
  const text = [content.greeting, '', ...content.paragraphs.flatMap((p) => [p, '']), ...(content.action ? [`${content.action.label}${/\p{Script=Han}$/u.test(content.action.label) ? '：' : ': '}${content.action.url}`, ''] : []), '—', content.footer].join('\n')
  const html = `<!doctype html><html><body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#0f172a;max-width:600px;margin:0 auto;padding:24px">
<p>${escapeHtml(content.greeting)}</p>
${content.paragraphs.map((p) => `<p style="line-height:1.6">${escapeHtml(p)}</p>`).join('\n')}
${content.action ? `<p style="margin:28px 0"><a href="${escapeHtml(content.action.url)}" style="background:#0369a1;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(content.action.label)}</a></p><p style="font-size:12px;color:#64748b">${escapeHtml(content.action.url)}</p>` : ''}
<hr style="border:none;border-top:1px solid #e2e8f0;margin:24px 0"><p style="font-size:12px;color:#64748b">${escapeHtml(content.footer)}</p>
</body></html>`
  return { text, html }
}
