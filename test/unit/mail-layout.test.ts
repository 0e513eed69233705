import { describe, expect, it } from 'vitest'
import { renderMail, spaceMixedScript } from '~/modules/mail/layout'

describe('e-mail text mixing Latin and Chinese', () => {
  it('puts a space between a Latin name and Chinese text, leaving dates and punctuation alone', () => {
    expect(spaceMixedScript('Clausewise Demo Bank每年检查一次')).toBe('Clausewise Demo Bank 每年检查一次')
    expect(spaceMixedScript('由Alice提交')).toBe('由 Alice 提交')
    expect(spaceMixedScript('请于2026年12月31日前答复')).toBe('请于2026年12月31日前答复')
    expect(spaceMixedScript('（Clausewise）发送')).toBe('（Clausewise）发送')
    expect(spaceMixedScript('Already spaced 文字')).toBe('Already spaced 文字')
  })

  it('is applied to every part of the rendered mail but not to the link', () => {
    const mail = renderMail({ greeting: 'Alice，您好：', paragraphs: ['Clausewise Demo Bank每年评估。'], action: { label: '打开Clausewise', url: 'https://x.test/v/abc' }, footer: 'Bank发送' })
    expect(mail.text).toContain('Clausewise Demo Bank 每年评估。')
    expect(mail.text).toContain('打开 Clausewise: https://x.test/v/abc')
    expect(renderMail({ greeting: '', paragraphs: [], action: { label: '打开问卷', url: 'https://x.test/v/abc' }, footer: '' }).text).toContain('打开问卷：https://x.test/v/abc')
    expect(mail.html).toContain('Clausewise Demo Bank 每年评估。')
    expect(mail.text).toContain('Bank 发送')
  })
})

describe('every translated string', () => {
  it('spaces an interpolated Latin name from the Chinese around it, in pages, PDFs and mail alike', async () => {
    const { translatorFor } = await import('~/i18n/i18n.server')
    const t = await translatorFor('zh-CN', 'vendorPortal')
    expect(t('landing.why', { institution: 'Clausewise Demo Bank', vendor: '深圳数智外包' })).toMatch(/^Clausewise Demo Bank 与深圳数智外包共享/)
    expect(t('landing.submittedBy', { name: '陈静 Chen Jing', title: 'DPO', when: '2026年12月2日' })).toBe('由陈静 Chen Jing（DPO）于2026年12月2日提交。')
  })
})
