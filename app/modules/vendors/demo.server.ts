// Demo vendors: fictitious firms with realistic, varied data-sharing profiles that cover every
// category and every tier. Credit codes are built with valid check characters; e-mail addresses
// use the reserved .example domain.
import { listUsersByEmails } from '~/modules/auth/user-store.server'
import { buildCreditCode } from './credit-code'
import { vendorInputSchema } from './schemas'
import { newVendorDocument } from './writes.server'
import { estimatedVendorCount, insertVendors } from './vendor-store.server'

type Log = (line: string) => void

type DemoVendor = {
  zh?: string
  en: string
  code?: [division: string, organisation: string]
  foreign?: { number: string; country: string }
  category: string
  services: string
  owner: 'procurement' | 'compliance'
  status?: string
  contacts: [name: string, email: string, phone?: string, title?: string, locale?: 'zh-CN' | 'en'][]
  data: {
    pi: string[]
    level: 'C1' | 'C2' | 'C3'
    records: number
    crossBorder?: string[]
    subProcessors?: [name: string, country: string, service: string][]
    transfer: string[]
    basis?: string
    consent?: boolean
    criticality?: 'critical' | 'important' | 'standard'
  }
}

// Tiers noted beside each vendor are what the rule computes (test/integration/vendors-demo.test.ts checks them).
export const DEMO_VENDORS: DemoVendor[] = [
  {
    // Tier 1: C3 account and authentication data of millions.
    zh: '云汇支付科技有限公司',
    en: 'Yunhui Payment Technology Co., Ltd.',
    code: ['310115', 'MA1FL2XK'],
    category: 'payment_platform',
    services: '快捷支付、网关支付及代付通道；持有支付业务许可证。',
    owner: 'procurement',
    contacts: [
      ['周敏', 'zhou.min@yunhuipay.example', '+86 21 5555 0101', '合规总监'],
      ['Alan Xu', 'alan.xu@yunhuipay.example', '+86 21 5555 0102', 'Security Officer', 'en'],
    ],
    data: { pi: ['identity', 'account_auth', 'transactions'], level: 'C3', records: 8_500_000, transfer: ['api'], basis: 'contract_necessity', criticality: 'critical' },
  },
  {
    // Tier 1: C2 transactions of 2.3 million customers.
    zh: '杭州易付通网络技术有限公司',
    en: 'Hangzhou Yifutong Network Technology Co., Ltd.',
    code: ['330106', 'MA27W3QN'],
    category: 'payment_platform',
    services: '聚合扫码支付及商户结算服务。',
    owner: 'procurement',
    contacts: [['钱立', 'qian.li@yifutong.example', '+86 571 5555 0110', '客户经理']],
    data: { pi: ['identity', 'transactions', 'contact'], level: 'C2', records: 2_300_000, transfer: ['api', 'file_transfer'], basis: 'contract_necessity', criticality: 'important' },
  },
  {
    // Tier 1: hosts the core of mobile banking.
    zh: '北京星衡云计算有限公司',
    en: 'Beijing Xingheng Cloud Computing Co., Ltd.',
    code: ['110108', 'MA01C7KP'],
    category: 'cloud_it',
    services: '手机银行系统私有云托管与运维（同城双活）。',
    owner: 'compliance',
    contacts: [
      ['孙悦', 'sun.yue@xinghengcloud.example', '+86 10 5555 0120', '客户成功经理'],
      ['刘博', 'liu.bo@xinghengcloud.example', '+86 10 5555 0121', '首席信息安全官'],
    ],
    data: { pi: ['identity', 'account_auth', 'transactions', 'financial_credit'], level: 'C3', records: 12_000_000, transfer: ['api'], basis: 'contract_necessity', criticality: 'critical' },
  },
  {
    // Tier 1: C2 of 600,000 (tier 2), raised by its sub-processor.
    zh: '深圳前海数智外包服务有限公司',
    en: 'Shenzhen Qianhai Digital Outsourcing Services Co., Ltd.',
    code: ['440300', 'MA5D8R2T'],
    category: 'cloud_it',
    services: '信用卡客服中心外包（呼入、呼出及工单处理）。',
    owner: 'procurement',
    contacts: [['黄蕾', 'huang.lei@qhdigital.example', '+86 755 5555 0130', '项目经理']],
    data: {
      pi: ['identity', 'contact', 'transactions'],
      level: 'C2',
      records: 600_000,
      subProcessors: [['广州声讯通信有限公司', 'CN', '呼叫中心线路与录音存储']],
      transfer: ['api', 'manual'],
      basis: 'contract_necessity',
      criticality: 'important',
    },
  },
  {
    // Tier 1: biometric data, however few records.
    zh: '南京灵犀智能识别技术有限公司',
    en: 'Nanjing Lingxi Intelligent Recognition Technology Co., Ltd.',
    code: ['320104', 'MA1X4B6H'],
    category: 'cloud_it',
    services: '远程开户人脸核身及活体检测服务。',
    owner: 'compliance',
    status: 'onboarding',
    contacts: [['陈静', 'chen.jing@lingxi-ai.example', '+86 25 5555 0140', '数据保护负责人']],
    data: { pi: ['identity', 'biometric'], level: 'C3', records: 40_000, transfer: ['api'], basis: 'separate_consent', consent: true, criticality: 'important' },
  },
  {
    // Tier 1: a credit bureau receiving credit data of millions.
    zh: '华信征信有限公司',
    en: 'Huaxin Credit Reporting Co., Ltd.',
    code: ['110105', 'MA00G9LU'],
    category: 'credit_reporting',
    services: '个人征信查询及信贷数据报送。',
    owner: 'compliance',
    contacts: [['王哲', 'wang.zhe@huaxincredit.example', '+86 10 5555 0150', '机构服务部经理']],
    data: { pi: ['identity', 'financial_credit', 'transactions'], level: 'C2', records: 5_000_000, transfer: ['api'], basis: 'separate_consent', consent: true, criticality: 'critical' },
  },
  {
    // Tier 2: contact details of 350,000 customers for campaigns.
    zh: '上海睿铭营销策划有限公司',
    en: 'Shanghai Ruiming Marketing Planning Co., Ltd.',
    code: ['310106', 'MA1J5N8W'],
    category: 'marketing',
    services: '信用卡分期产品短信及电话营销活动执行。',
    owner: 'procurement',
    contacts: [['赵倩', 'zhao.qian@ruiming-mkt.example', '+86 21 5555 0160', '客户总监']],
    data: { pi: ['contact'], level: 'C2', records: 350_000, transfer: ['file_transfer'], basis: 'separate_consent', consent: true },
  },
  {
    // Tier 3: C1 contact and city-level location, raised by its SMS sub-processor.
    zh: '广州触点互动广告有限公司',
    en: 'Guangzhou Chudian Interactive Advertising Co., Ltd.',
    code: ['440106', 'MA59K3EF'],
    category: 'marketing',
    services: '线下网点活动邀约及城市级客群分析。',
    owner: 'procurement',
    contacts: [['林峰', 'lin.feng@chudian-ad.example', '+86 20 5555 0170', '媒介经理']],
    data: {
      pi: ['contact', 'location'],
      level: 'C1',
      records: 80_000,
      subProcessors: [['深圳云讯短信服务有限公司', 'CN', '短信发送']],
      transfer: ['file_transfer'],
      basis: 'consent',
      consent: true,
    },
  },
  {
    // Tier 2: a collection agency with 45,000 overdue accounts.
    zh: '成都信达资产管理有限公司',
    en: 'Chengdu Xinda Asset Management Co., Ltd.',
    code: ['510107', 'MA6C2D4Y'],
    category: 'collection_agency',
    services: '信用卡逾期账款委外催收（电话及信函）。',
    owner: 'procurement',
    contacts: [['杨帆', 'yang.fan@xinda-am.example', '+86 28 5555 0180', '运营经理']],
    data: { pi: ['identity', 'contact', 'financial_credit'], level: 'C2', records: 45_000, transfer: ['file_transfer', 'manual'], basis: 'contract_necessity' },
  },
  {
    // Tier 3: a small collection agency, suspended after a complaint.
    zh: '武汉恒信商务咨询有限公司',
    en: 'Wuhan Hengxin Business Consulting Co., Ltd.',
    code: ['420106', 'MA4K7P1R'],
    category: 'collection_agency',
    services: '小额消费贷款逾期提醒服务。',
    owner: 'compliance',
    status: 'suspended',
    contacts: [['何军', 'he.jun@hengxin-wh.example', '+86 27 5555 0190', '负责人']],
    data: { pi: ['identity', 'contact', 'financial_credit'], level: 'C2', records: 6_000, transfer: ['manual'], basis: 'contract_necessity' },
  },
  {
    // Tier 3: credit assessment on a small sample.
    zh: '中诚信用评估（深圳）有限公司',
    en: 'Zhongcheng Credit Assessment (Shenzhen) Co., Ltd.',
    code: ['440300', 'MA5G1H7J'],
    category: 'credit_reporting',
    services: '小微企业主信用评分模型验证。',
    owner: 'compliance',
    contacts: [['郑洁', 'zheng.jie@zc-credit.example', '+86 755 5555 0200', '模型验证主管']],
    data: { pi: ['identity', 'financial_credit'], level: 'C2', records: 9_000, transfer: ['file_transfer'], basis: 'separate_consent', consent: true, criticality: 'important' },
  },
  {
    // Tier 2: an insurance broker with 150,000 policyholders.
    zh: '泰和保险经纪有限公司',
    en: 'Taihe Insurance Brokers Co., Ltd.',
    code: ['310101', 'MA1H2K3L'],
    category: 'insurance_intermediary',
    services: '信用卡附加意外险及账户安全险的投保与理赔协助。',
    owner: 'procurement',
    contacts: [['吴凯', 'wu.kai@taihe-brokers.example', '+86 21 5555 0210', '渠道合作经理']],
    data: { pi: ['identity', 'contact', 'financial_credit'], level: 'C2', records: 150_000, transfer: ['api'], basis: 'separate_consent', consent: true },
  },
  {
    // Tier 3: a small insurance agency being onboarded.
    zh: '明德保险代理有限公司',
    en: 'Mingde Insurance Agency Co., Ltd.',
    code: ['330106', 'MA2B8C4D'],
    category: 'insurance_intermediary',
    services: '私人银行客户高端医疗险代理销售。',
    owner: 'procurement',
    status: 'onboarding',
    contacts: [['冯雪', 'feng.xue@mingde-agency.example', '+86 571 5555 0220', '业务经理']],
    data: { pi: ['identity', 'contact'], level: 'C2', records: 3_500, transfer: ['manual'], basis: 'separate_consent', consent: true },
  },
  {
    // Tier 4: no customer data.
    zh: '苏州文印办公服务有限公司',
    en: 'Suzhou Wenyin Office Services Co., Ltd.',
    code: ['320505', 'MA1Y6T3N'],
    category: 'other',
    services: '营业网点宣传物料印制与配送。',
    owner: 'procurement',
    contacts: [['许静', 'xu.jing@wenyin-office.example', '+86 512 5555 0230']],
    data: { pi: [], level: 'C1', records: 0, transfer: ['manual'] },
  },
  {
    // Tier 4: staff training, no customer data.
    zh: '北京知行培训咨询有限公司',
    en: 'Beijing Zhixing Training Consulting Co., Ltd.',
    code: ['110105', 'MA01P4QR'],
    category: 'other',
    services: '员工消费者权益保护及反洗钱培训。',
    owner: 'compliance',
    contacts: [['曹磊', 'cao.lei@zhixing-training.example', '+86 10 5555 0240', '培训顾问']],
    data: { pi: [], level: 'C1', records: 0, transfer: [] },
  },
  {
    // Tier 4: facilities management, contract ended.
    zh: '上海安泊楼宇设施管理有限公司',
    en: 'Shanghai Anbo Facilities Management Co., Ltd.',
    code: ['310115', 'MA1K9W2E'],
    category: 'other',
    services: '数据中心机房楼宇设施维护（不接触客户信息）。',
    owner: 'procurement',
    status: 'offboarded',
    contacts: [['蒋涛', 'jiang.tao@anbo-fm.example', '+86 21 5555 0250']],
    data: { pi: [], level: 'C1', records: 0, transfer: [] },
  },
  {
    // Tier 4: C1 contact details of 5,000 survey participants.
    zh: '杭州数聚市场调研有限公司',
    en: 'Hangzhou Shuju Market Research Co., Ltd.',
    code: ['330106', 'MA2J7L5M'],
    category: 'marketing',
    services: '客户满意度问卷调查（仅邮箱，不含身份信息）。',
    owner: 'procurement',
    contacts: [['韩梅', 'han.mei@shuju-research.example', '+86 571 5555 0260', '研究总监']],
    data: { pi: ['contact'], level: 'C1', records: 5_000, transfer: ['file_transfer'], basis: 'consent', consent: true },
  },
  {
    // Tier 3, foreign: pseudonymised analytics abroad (C1 medium is tier 4, cross-border raises it).
    en: 'Northwind Analytics Pte. Ltd.',
    foreign: { number: '201812345K', country: 'SG' },
    category: 'marketing',
    services: 'Campaign attribution analytics on pseudonymised customer segments.',
    owner: 'procurement',
    contacts: [['Priya Raman', 'priya.raman@northwind-analytics.example', '+65 5555 0270', 'Account Director', 'en']],
    data: {
      pi: ['contact', 'location'],
      level: 'C1',
      records: 200_000,
      crossBorder: ['SG'],
      subProcessors: [['Skyline Hosting Inc.', 'US', 'Cloud hosting']],
      transfer: ['file_transfer'],
      basis: 'separate_consent',
      consent: true,
    },
  },
  {
    // Tier 2, foreign: card dispute handling in Hong Kong.
    zh: '子午线云服务有限公司',
    en: 'Meridian Cloud Services Limited',
    foreign: { number: '2987654', country: 'HK' },
    category: 'cloud_it',
    services: 'Cross-border card dispute case management (chargebacks).',
    owner: 'compliance',
    contacts: [['Kelvin Cheung', 'kelvin.cheung@meridian-cloud.example', '+852 5555 0280', 'Service Manager', 'en']],
    data: { pi: ['identity', 'transactions'], level: 'C2', records: 1_500, crossBorder: ['HK'], transfer: ['api'], basis: 'contract_necessity' },
  },
  {
    // Tier 2, foreign: a reinsurance broker in Sweden.
    en: 'Lindqvist Reinsurance Brokers AB',
    foreign: { number: '556123-4567', country: 'SE' },
    category: 'insurance_intermediary',
    services: 'Placement of credit life reinsurance; receives large-claim files.',
    owner: 'compliance',
    contacts: [['Erik Lindqvist', 'erik.lindqvist@lindqvist-re.example', '+46 8 5555 0290', 'Partner', 'en']],
    data: { pi: ['identity', 'financial_credit'], level: 'C2', records: 800, crossBorder: ['SE'], transfer: ['file_transfer'], basis: 'separate_consent', consent: true },
  },
]

/** The demo vendor as the vendor form's input. */
export function demoVendorInput(vendor: DemoVendor, ownerIds: Record<'procurement' | 'compliance', string>) {
  return {
    legalName: { 'zh-CN': vendor.zh ?? '', en: vendor.en },
    registration: vendor.foreign ? 'foreign' : 'domestic',
    creditCode: vendor.code ? buildCreditCode(...vendor.code) : '',
    foreignRegistration: vendor.foreign ?? {},
    category: vendor.category,
    services: vendor.services,
    businessOwnerId: ownerIds[vendor.owner],
    status: vendor.status ?? 'active',
    contacts: vendor.contacts.map(([name, email, phone, title, locale]) => ({ name, email, phone, title, locale: locale ?? 'zh-CN' })),
    dataProfile: {
      piCategories: vendor.data.pi,
      sensitivity: vendor.data.level,
      recordCount: vendor.data.records,
      crossBorder: Boolean(vendor.data.crossBorder?.length),
      crossBorderDestinations: vendor.data.crossBorder ?? [],
      usesSubProcessors: Boolean(vendor.data.subProcessors?.length),
      subProcessors: (vendor.data.subProcessors ?? []).map(([name, country, service]) => ({ name, country, service })),
      transferMethods: vendor.data.transfer,
      legalBasis: vendor.data.basis ?? '',
      consentOnRecord: vendor.data.consent ?? false,
      serviceCriticality: vendor.data.criticality ?? 'standard',
    },
  }
}

/** Seeds the demo vendors once (an inventory that already has vendors is left alone). */
export async function seedVendors(log: Log) {
  if ((await estimatedVendorCount()) > 0) return
  const staff = await listUsersByEmails(['procurement@clausewise.local', 'compliance@clausewise.local'])
  const idOf = (email: string) => String(staff.find((user) => user.email === email)?._id ?? '')
  const ownerIds = { procurement: idOf('procurement@clausewise.local'), compliance: idOf('compliance@clausewise.local') }
  const documents = DEMO_VENDORS.map((vendor) => newVendorDocument(vendorInputSchema.parse(demoVendorInput(vendor, ownerIds))))
  await insertVendors(documents)
  log(`[clausewise] demo vendors: ${documents.length}`)
}
