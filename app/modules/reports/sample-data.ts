// A realistic, deterministic ReportData of any size, for the tests and the benchmark. Pure.
import type { Locale } from '~/i18n/locales'
import type { Severity } from '~/modules/library/content-schema'
import { emptyCounts, REPORT_SCHEMA_VERSION, type ClauseStatus, type ReportClause, type ReportData, type ReportFinding, type ReportSection } from './report-data'

const QUESTIONS = {
  'zh-CN': [
    '贵机构是否指定了个人信息保护负责人，并向本机构书面报告其联系方式？',
    '贵机构是否对接触客户个人信息的员工开展入职及年度个人信息保护培训？',
    '存储的客户个人信息是否采用加密措施？请说明加密算法和密钥管理方式。',
    '贵机构是否在合同约定的处理目的、方式和期限内处理本机构提供的个人信息？',
    '合同终止时，贵机构是否返还或删除本机构提供的全部个人信息，并出具删除证明？',
    '未经本机构书面同意，贵机构是否会将个人信息转委托第三方处理？',
    '访问敏感个人信息是否要求双因素认证？',
    '贵机构是否具备个人信息安全事件应急预案，并在发生事件后 24 小时内通知本机构？',
  ],
  en: [
    'Has your organisation appointed a person responsible for personal information protection and told us, in writing, how to reach them?',
    'Do staff who handle customers’ personal information receive protection training when they join and every year?',
    'Is stored customer personal information encrypted? Describe the algorithms and how keys are managed.',
    'Do you process the personal information we provide only for the purpose, in the manner and for the period agreed in the contract?',
    'When the contract ends, do you return or delete all personal information we provided, and certify the deletion?',
    'Would you sub-entrust processing of personal information to a third party without our written consent?',
    'Is two-factor authentication required to access sensitive personal information?',
    'Do you have an incident response plan for personal information, and do you notify us within 24 hours of an incident?',
  ],
}

const ANSWERS = {
  'zh-CN': ['是', '否', '部分', '不适用'],
  en: ['Yes', 'No', 'Partly', 'Not applicable'],
}

const LONG_ANSWER = {
  'zh-CN':
    '我们对所有存储在生产数据库中的客户个人信息采用 AES-256-GCM 加密，密钥由硬件安全模块（HSM）生成和保管，每 90 天轮换一次。备份数据在写入对象存储前同样加密，备份密钥与生产密钥分离保管。数据库管理员无法直接读取明文，查询敏感字段须经审批并留存审计日志。我们每年委托第三方机构开展渗透测试和加密有效性评估，最近一次评估于今年三月完成，未发现高风险问题。',
  en: 'All customer personal information stored in production databases is encrypted with AES-256-GCM. Keys are generated and held in a hardware security module (HSM) and rotated every 90 days. Backups are encrypted before they are written to object storage, with backup keys kept apart from production keys. Database administrators cannot read plaintext directly; queries on sensitive fields need approval and are written to an audit log. Every year an independent firm tests our defences and the effectiveness of our encryption; the latest review, completed in March, found no high-risk issues.',
}

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low']
const STATUSES: ClauseStatus[] = ['met', 'met', 'partial', 'failed', 'met', 'not_applicable', 'not_assessed']

export interface SampleOptions {
  locale?: Locale
  questions?: number
  clauses?: number
  findings?: number
  longAnswers?: boolean // every answer is several paragraphs long
  status?: string
  firstAssessment?: boolean // no earlier signed-off assessment: nothing to compare with
}

export function sampleReportData({ locale = 'en', questions = 100, clauses = 24, findings = 8, longAnswers = false, status = 'completed', firstAssessment = false }: SampleOptions = {}): ReportData {
  const zh = locale === 'zh-CN'
  const questionTexts = QUESTIONS[locale]
  const answerTexts = ANSWERS[locale]
  const sections: ReportSection[] = []
  const perSection = 10
  for (let index = 0; index < questions; index += 1) {
    const sectionIndex = Math.floor(index / perSection)
    if (!sections[sectionIndex]) {
      sections[sectionIndex] = {
        questionnaire: zh ? '基础问卷（第 3 版）' : 'Baseline questionnaire (v3)',
        title: zh ? `第 ${sectionIndex + 1} 部分：治理与数据保护` : `Part ${sectionIndex + 1}: governance and data protection`,
        questions: [],
      }
    }
    const id = `${index % 2 ? 'DATA' : 'GOV'}-${String(index + 1).padStart(3, '0')}`
    const long = longAnswers || index % 7 === 3
    sections[sectionIndex]!.questions.push({
      id,
      text: questionTexts[index % questionTexts.length]!,
      answer: long ? [LONG_ANSWER[locale], LONG_ANSWER[locale], longAnswers ? LONG_ANSWER[locale] : ''].filter(Boolean).join('\n\n') : answerTexts[index % answerTexts.length]!,
      comment: index % 3 === 0 ? (zh ? `补充说明：参见附件第 ${index + 1} 页。` : `See page ${index + 1} of the attached policy.`) : undefined,
      evidence: index % 4 === 0 ? [`policy-${index + 1}.pdf`, `screenshot-${index + 1}.png`] : [],
    })
  }

  const clauseRows: ReportClause[] = []
  for (let index = 0; index < clauses; index += 1) {
    const status = STATUSES[index % STATUSES.length]!
    clauseRows.push({
      id: `PRIV-${String(index + 1).padStart(2, '0')}`,
      title: zh ? `合作机构应在约定范围内处理个人信息（第 ${index + 1} 项）` : `The vendor processes personal information only as agreed (item ${index + 1})`,
      severity: SEVERITIES[index % SEVERITIES.length]!,
      knockOut: index % 6 === 0,
      status,
      override:
        index % 5 === 4
          ? { from: 'partial', justification: zh ? '合作机构已提供补充证明，审核确认满足要求。' : 'The vendor supplied further evidence; the reviewer confirmed the clause is met.', byName: 'Li Hegui 李合规', at: '2025-03-10T06:00:00.000Z' }
          : undefined,
      decidingAnswers: [0, 1].slice(0, 1 + (index % 2)).map((offset) => {
        const questionIndex = (index * 3 + offset) % Math.max(1, questions)
        return { questionId: `GOV-${String(questionIndex + 1).padStart(3, '0')}`, question: questionTexts[questionIndex % questionTexts.length]!, answer: answerTexts[(index + offset) % answerTexts.length]! }
      }),
    })
  }

  const counts = emptyCounts()
  for (const clause of clauseRows) counts[clause.status] += 1

  const findingRows: ReportFinding[] = Array.from({ length: findings }, (_, index) => ({
    reference: `F-${String(index + 1).padStart(2, '0')}`,
    severity: SEVERITIES[index % SEVERITIES.length]!,
    title: zh ? `第 ${index + 1} 项发现：访问控制不足` : `Finding ${index + 1}: insufficient access control`,
    description: zh
      ? '敏感个人信息的访问未强制双因素认证，部分运维账号长期未复核。'
      : 'Access to sensitive personal information does not require two-factor authentication, and some operations accounts have not been reviewed for a long time.',
    remediation: zh ? '对所有可访问敏感信息的账号启用双因素认证，并每季度复核权限。' : 'Enable two-factor authentication for every account with access to sensitive data and review access every quarter.',
    owner: zh ? '张安全（合作机构信息安全部）' : 'Zhang An (vendor IT security)',
    dueAt: `2025-0${(index % 9) + 1}-15T00:00:00.000Z`,
    status: ['open', 'in_progress', 'closed', 'risk_accepted'][index % 4]!,
    clauseIds: [clauseRows[index % Math.max(1, clauseRows.length)]?.id].filter((id): id is string => Boolean(id)),
  }))

  const scored = counts.met + counts.partial + counts.failed
  const controlScore = scored ? Math.round(((counts.met + counts.partial * 0.5) / scored) * 1000) / 10 : null
  const knockOuts = clauseRows.filter((clause) => clause.knockOut && clause.status === 'failed').map((clause) => ({ clauseId: clause.id, title: clause.title }))

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    locale,
    institution: { name: zh ? '示例银行股份有限公司' : 'Clausewise Demo Bank', timeZone: 'Asia/Shanghai' },
    vendor: {
      id: '665f1c2e9b1e8a0012345678',
      name: { 'zh-CN': '上海云付科技有限公司', en: 'Shanghai Yunfu Technology Co., Ltd.' },
      creditCode: '91310000MA1FL4XQ3K',
      category: 'payment_platform',
      services: zh ? '聚合支付与代扣服务' : 'Aggregated payments and direct debit',
      tier: {
        effective: 1,
        computed: 2,
        reasons: zh
          ? ['接收 C3 级用户鉴别信息', '约 120 万条客户记录', '存在境外转委托处理方']
          : ['Receives C3 authentication data', 'About 1.2 million customers’ records', 'Uses a sub-processor abroad'],
        override: { tier: 1, justification: zh ? '支付链路关键，按一级管理。' : 'Critical payment path: managed as tier 1.', byName: 'Admin', at: '2025-01-05T02:00:00.000Z' },
      },
      dataProfile: {
        piCategories: ['identity', 'account_auth', 'transactions', 'contact'],
        sensitivity: 'C3',
        recordCount: 1_200_000,
        crossBorder: true,
        crossBorderDestinations: ['SG', 'HK'],
        usesSubProcessors: true,
        subProcessors: [
          { name: 'Asia Cloud Pte. Ltd.', country: 'SG', service: zh ? '云托管' : 'Cloud hosting' },
          { name: '深圳短信通科技有限公司', country: 'CN', service: zh ? '短信通知' : 'Text message notifications' },
        ],
        transferMethods: ['api', 'file_transfer'],
        legalBasis: 'separate_consent',
        consentOnRecord: true,
        serviceCriticality: 'critical',
      },
    },
    assessment: {
      id: '6660a1b2c3d4e5f601234567',
      status,
      sentAt: '2025-02-01T01:00:00.000Z',
      dueAt: '2025-03-01T15:59:59.000Z',
      submittedAt: '2025-02-26T08:30:00.000Z',
      submittedBy: zh ? '陈合规（数据保护官）' : 'Chen Hegui (Data Protection Officer)',
      signedOffAt: status === 'completed' ? '2025-03-12T09:00:00.000Z' : undefined,
      questionnaires: [
        { id: 'baseline', version: 3, title: zh ? '基础问卷' : 'Baseline questionnaire' },
        { id: 'payment', version: 1, title: zh ? '支付补充问卷' : 'Payment supplement' },
      ],
      contractReference: 'CW-2024-PAY-0042',
      preparedBy: 'Li Hegui 李合规 (Compliance)',
    },
    score: { controlScore, residualRisk: controlScore === null ? null : controlScore >= 85 ? 'low' : controlScore >= 70 ? 'medium' : controlScore >= 50 ? 'high' : 'critical', counts, knockOuts, capped: knockOuts.length > 0 },
    clauses: clauseRows,
    findings: findingRows,
    sections,
    clarifications: [
      {
        round: 1,
        requestedAt: '2025-02-28T02:00:00.000Z',
        byName: 'Li Hegui 李合规',
        respondBy: '2025-03-08T15:59:59.000Z',
        message: zh ? '感谢提交，以下两点请澄清。' : 'Thank you; two points to clarify.',
        questions: [
          {
            questionId: 'SEC-01',
            question: zh ? '是否对所有管理员账号启用多因素认证？' : 'Do all administrator accounts use multi-factor authentication?',
            comment: zh ? '请说明哪些账号尚未启用及计划完成时间。' : 'Which accounts lack it, and by when will they have it?',
            reply: zh ? '全部账号' : 'All accounts',
            replyComment: zh ? '已于 3 月 5 日完成。' : 'Completed on 5 March.',
            repliedAt: '2025-03-05T06:00:00.000Z',
          },
          { questionId: 'PAY-01', question: zh ? '是否持有有效的 PCI DSS 合规证明？' : 'Do you hold a valid PCI DSS attestation of compliance?', comment: zh ? '请上传最新的 AOC。' : 'Please attach the current AOC.' },
        ],
      },
    ],
    decisions: [
      {
        questionId: 'GOV-01',
        question: zh ? '是否按书面指示处理个人信息？' : 'Do you process personal information only on written instructions?',
        decision: 'accepted',
        comment: zh ? '已核对合同附件二。' : 'Checked against annex 2 of the contract.',
        byName: 'Li Hegui 李合规',
        at: '2025-03-06T03:00:00.000Z',
      },
    ],
    sinceLast: firstAssessment
      ? null
      : {
          previousAssessmentId: '6530a1b2c3d4e5f601234560',
          previousCompletedAt: '2024-03-08T07:00:00.000Z',
          score: { before: 64.5, after: controlScore, delta: controlScore === null ? null : Math.round((controlScore - 64.5) * 10) / 10 },
          residualRisk: { before: 'high', after: controlScore === null ? null : 'medium', movement: controlScore === null ? null : 'better' },
          answers: sections
            .flatMap((section) => section.questions)
            .filter((_question, index) => index % 9 === 2)
            .map((question, index) => ({
              questionId: question.id,
              question: question.text,
              change: index === 1 ? ('new' as const) : ('changed' as const),
              before: index === 1 ? '' : answerTexts[(index + 1) % answerTexts.length]!,
              after: question.answer,
            })),
          unchangedAnswers: Math.max(0, questions - Math.ceil(questions / 9)),
          clauses: clauseRows
            .filter((_clause, index) => index % 4 === 1)
            .map((clause, index) => ({ clauseId: clause.id, title: clause.title, before: index % 2 ? ('failed' as const) : ('partial' as const), after: clause.status })),
        },
    signOff: status === 'completed' ? { byName: 'Li Hegui 李合规', at: '2025-03-12T09:00:00.000Z', comment: zh ? '同意，整改项按期跟踪。' : 'Approved; remediation is tracked to the dates above.' } : null,
  }
}
