//! What a department says: the PRNG (splitmix64, with independent streams per purpose) and the departments, their domains, names and functions.

// ---------------------------------------------------------------------------------------------
// PRNG: splitmix64, with independent streams derived from (seed, department, year, purpose)
// ---------------------------------------------------------------------------------------------

pub(crate) const S_SERIES: u64 = 1;
pub(crate) const S_DEPT: u64 = 2;
pub(crate) const S_CONTENT: u64 = 3;
pub(crate) const S_QUIRKS: u64 = 4;
pub(crate) const S_FORMAT: u64 = 5;
pub(crate) const S_PLANT: u64 = 6;
pub(crate) const S_SELECT: u64 = 7;
pub(crate) const S_DUPLICATE: u64 = 8;
pub(crate) const S_JUNK: u64 = 9;
pub(crate) const S_SHAPE: u64 = 10;
pub(crate) const S_LAYOUT: u64 = 11;

pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn derive(parts: &[u64]) -> Rng {
        let mut s = 0x6A09_E667_F3BC_C908u64;
        for &p in parts {
            s = mix64(s ^ mix64(p.wrapping_add(0x9E37_79B9_7F4A_7C15)));
        }
        Rng(s)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + ((self.next_u64() as u128 * (hi - lo + 1) as u128) >> 64) as i64
    }

    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    pub(crate) fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }

    /// `k` distinct indices of `0..n`, in ascending order.
    pub(crate) fn subset(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..n).collect();
        self.shuffle(&mut idx);
        idx.truncate(k.min(n));
        idx.sort_unstable();
        idx
    }
}

// ---------------------------------------------------------------------------------------------
// Departments and vocabulary
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
pub(crate) struct Thing {
    pub(crate) action: &'static str,
    pub(crate) noun: &'static str,
    pub(crate) unit: &'static str,
    pub(crate) lo: i64,
    pub(crate) hi: i64,
}

pub(crate) const fn t(
    action: &'static str,
    noun: &'static str,
    unit: &'static str,
    lo: i64,
    hi: i64,
) -> Thing {
    Thing {
        action,
        noun,
        unit,
        lo,
        hi,
    }
}

pub(crate) struct Domain {
    pub(crate) field: &'static str,
    pub(crate) objs: &'static [&'static str],
    pub(crate) people: &'static [&'static str],
    pub(crate) things: &'static [Thing],
}

pub(crate) const EDU: usize = 0;
pub(crate) const HEALTH: usize = 1;
pub(crate) const CIVIL: usize = 2;
pub(crate) const AGRI: usize = 3;
pub(crate) const BUILD: usize = 4;
pub(crate) const ECON: usize = 5;
pub(crate) const LAW: usize = 6;
pub(crate) const CULTURE: usize = 7;
pub(crate) const ADMIN: usize = 8;
pub(crate) const STREET: usize = 9;

#[rustfmt::skip]
pub(crate) static DOMAINS: [Domain; 10] = [
    Domain {
        field: "教育",
        objs: &[
            "义务教育均衡发展", "教师队伍建设", "学前教育普惠发展", "校园安全管理",
            "学生资助", "校舍维修改造", "教育信息化建设", "课后服务",
        ],
        people: &["学生", "教师", "学生家长"],
        things: &[
            t("开展", "教师培训", "人次", 200, 3000),
            t("资助", "家庭经济困难学生", "人次", 100, 5000),
            t("完成", "校舍维修改造", "所", 2, 30),
            t("新增", "公办幼儿园学位", "个", 100, 2000),
            t("建设", "智慧教室", "间", 5, 120),
            t("组织", "校园安全检查", "次", 4, 48),
            t("配备", "教学设备", "台套", 50, 1500),
        ],
    },
    Domain {
        field: "卫生健康",
        objs: &[
            "基本公共卫生服务", "疾病预防控制", "家庭医生签约服务", "妇幼健康服务",
            "医疗机构监督管理", "爱国卫生运动", "应急医疗救治", "中医药服务",
        ],
        people: &["城乡居民", "患者", "孕产妇", "老年人"],
        things: &[
            t("开展", "健康教育讲座", "场次", 10, 300),
            t("完成", "适龄儿童疫苗接种", "人次", 1000, 50000),
            t("建立", "居民电子健康档案", "份", 5000, 300000),
            t("开展", "老年人健康体检", "人次", 1000, 60000),
            t("培训", "基层卫生人员", "人次", 50, 1500),
            t("开展", "医疗机构监督检查", "家次", 20, 800),
        ],
    },
    Domain {
        field: "民政",
        objs: &[
            "城乡低保救助", "特困人员供养", "养老服务体系建设", "困难群众临时救助",
            "社区治理", "婚姻登记服务", "残疾人帮扶", "就业创业服务",
        ],
        people: &["困难群众", "老年人", "残疾人", "服务对象"],
        things: &[
            t("发放", "城乡低保金", "户次", 500, 30000),
            t("建设", "社区养老服务站", "个", 2, 40),
            t("开展", "临时救助", "人次", 100, 5000),
            t("组织", "就业技能培训", "人次", 100, 8000),
            t("走访慰问", "困难职工", "户", 50, 2000),
            t("开展", "志愿服务活动", "场次", 10, 300),
        ],
    },
    Domain {
        field: "农业农村",
        objs: &[
            "高标准农田建设", "农村人居环境整治", "农田水利设施维护", "动物疫病防控",
            "农产品质量安全监管", "防汛抗旱", "乡村振兴示范村建设", "湖泊水环境治理",
        ],
        people: &["农户", "村民", "农业经营主体"],
        things: &[
            t("建设", "高标准农田", "亩", 1000, 50000),
            t("清淤整治", "沟渠塘堰", "处", 10, 500),
            t("完成", "畜禽强制免疫", "万头只", 1, 200),
            t("开展", "农技培训", "人次", 100, 5000),
            t("抽检", "农产品样品", "批次", 100, 3000),
            t("维修", "泵站涵闸", "座", 2, 60),
        ],
    },
    Domain {
        field: "城乡建设",
        objs: &[
            "老旧小区改造", "城市道路养护", "市政设施维护", "建筑工地安全监管",
            "公共交通服务", "农村公路建设", "城市环境卫生管理", "园林绿化养护",
        ],
        people: &["居民", "市民", "出行群众"],
        things: &[
            t("改造", "老旧小区", "个", 3, 60),
            t("养护", "城市道路", "公里", 10, 500),
            t("新建改建", "农村公路", "公里", 5, 200),
            t("检查", "在建工地", "个次", 20, 1200),
            t("清运", "生活垃圾", "万吨", 1, 60),
            t("新增", "城市绿地", "万平方米", 1, 80),
        ],
    },
    Domain {
        field: "经济发展",
        objs: &[
            "招商引资", "营商环境优化", "中小企业服务", "市场主体监管",
            "统计调查", "科技创新扶持", "食品安全监管", "价格监督检查",
        ],
        people: &["企业", "市场主体", "办事群众"],
        things: &[
            t("引进", "招商项目", "个", 5, 120),
            t("开展", "企业走访服务", "家次", 50, 2000),
            t("抽检", "食品样品", "批次", 200, 6000),
            t("完成", "统计调查报表", "份", 100, 5000),
            t("认定", "高新技术企业", "家", 3, 150),
            t("办理", "企业开办业务", "件", 500, 30000),
        ],
    },
    Domain {
        field: "平安建设",
        objs: &[
            "社会治安综合治理", "安全生产监管", "公共法律服务", "矛盾纠纷排查化解",
            "应急救援能力建设", "信访事项办理", "禁毒宣传教育", "消防安全检查",
        ],
        people: &["群众", "企业", "当事人"],
        things: &[
            t("开展", "安全生产执法检查", "次", 50, 3000),
            t("调解", "矛盾纠纷", "件", 100, 5000),
            t("组织", "应急演练", "场次", 5, 120),
            t("办理", "法律援助案件", "件", 50, 1500),
            t("开展", "普法宣传活动", "场次", 10, 400),
            t("办结", "信访事项", "件", 50, 3000),
        ],
    },
    Domain {
        field: "文化旅游",
        objs: &[
            "公共文化服务", "文物保护利用", "全民健身活动", "旅游市场监管",
            "非物质文化遗产保护", "新闻宣传", "档案资料管理", "阅读推广",
        ],
        people: &["群众", "游客", "读者"],
        things: &[
            t("开展", "送戏下乡演出", "场次", 20, 500),
            t("举办", "全民健身赛事", "场次", 5, 100),
            t("巡查", "文物保护单位", "处次", 10, 300),
            t("接待", "参观群众", "万人次", 1, 80),
            t("新增", "馆藏图书", "册", 1000, 50000),
            t("整理", "档案资料", "卷", 1000, 80000),
        ],
    },
    Domain {
        field: "机关运行",
        objs: &[
            "机关日常运转保障", "党建工作", "干部教育培训", "公文处理和督查督办",
            "政务信息公开", "机关事务管理", "审计监督", "财政资金监管",
        ],
        people: &["干部职工", "服务对象", "基层单位"],
        things: &[
            t("组织", "干部教育培训", "人次", 100, 5000),
            t("开展", "督查督办事项", "件", 50, 2000),
            t("公开", "政务信息", "条", 100, 6000),
            t("完成", "审计项目", "个", 5, 120),
            t("保障", "会议服务", "场次", 50, 1500),
            t("开展", "党建主题活动", "次", 5, 100),
        ],
    },
    Domain {
        field: "基层治理",
        objs: &[
            "社区网格化管理", "辖区环境卫生整治", "社区服务中心运行", "居民就业帮扶",
            "辖区安全隐患排查", "社区文化活动", "基层党建", "城市管理",
        ],
        people: &["辖区居民", "社区群众", "服务对象"],
        things: &[
            t("开展", "网格巡查", "次", 500, 30000),
            t("整治", "环境卫生死角", "处", 20, 1000),
            t("组织", "社区文化活动", "场次", 10, 300),
            t("帮助", "失业人员再就业", "人", 20, 1500),
            t("排查", "安全隐患", "处", 50, 3000),
            t("走访", "困难家庭", "户", 50, 2000),
        ],
    },
];

/// Named departments (`{d}` is the district), in an order that mixes the domains.
#[rustfmt::skip]
pub(crate) const NAMED: [(&str, usize); 84] = [
    ("{d}教育局", EDU), ("{d}卫生健康局", HEALTH), ("{d}民政局", CIVIL),
    ("{d}农业农村局", AGRI), ("{d}住房和城乡建设局", BUILD), ("{d}发展和改革局", ECON),
    ("{d}公安分局", LAW), ("{d}文化和旅游局", CULTURE), ("{d}财政局", ADMIN),
    ("{d}城关街道办事处", STREET), ("{d}总工会", CIVIL), ("{d}人民医院", HEALTH),
    ("{d}实验中学", EDU), ("{d}水务和湖泊局", AGRI), ("{d}城市管理执法局", BUILD),
    ("{d}市场监督管理局", ECON), ("{d}司法局", LAW), ("{d}融媒体中心", CULTURE),
    ("中共{d}委办公室", ADMIN), ("{d}南岗镇人民政府", STREET), ("{d}人力资源和社会保障局", CIVIL),
    ("{d}疾病预防控制中心", HEALTH), ("{d}职业技术学校", EDU), ("{d}林业局", AGRI),
    ("{d}交通运输局", BUILD), ("{d}经济和信息化局", ECON), ("{d}应急管理局", LAW),
    ("{d}档案馆", CULTURE), ("{d}人民政府办公室", ADMIN), ("{d}东湖街道办事处", STREET),
    ("{d}退役军人事务局", CIVIL), ("{d}中医医院", HEALTH), ("{d}教师进修学校", EDU),
    ("{d}生态环境局", AGRI), ("{d}房屋征收服务中心", BUILD), ("{d}商务局", ECON),
    ("{d}信访局", LAW), ("{d}图书馆", CULTURE), ("{d}人大常委会办公室", ADMIN),
    ("{d}北湖镇人民政府", STREET), ("{d}妇女联合会", CIVIL), ("{d}妇幼保健院", HEALTH),
    ("{d}实验小学", EDU), ("{d}农业技术推广中心", AGRI), ("{d}园林绿化管理所", BUILD),
    ("{d}统计局", ECON), ("中共{d}委政法委员会", LAW), ("{d}文化馆", CULTURE),
    ("政协{d}委员会办公室", ADMIN), ("{d}西河街道办事处", STREET), ("{d}残疾人联合会", CIVIL),
    ("{d}医疗保障局", HEALTH), ("{d}机关幼儿园", EDU), ("{d}畜牧兽医服务中心", AGRI),
    ("{d}公路管理局", BUILD), ("{d}科学技术局", ECON), ("{d}人民法院", LAW),
    ("{d}体育运动中心", CULTURE), ("{d}纪委监委机关", ADMIN), ("{d}青山镇人民政府", STREET),
    ("{d}红十字会", CIVIL), ("{d}卫生计生综合监督执法局", HEALTH), ("{d}特殊教育学校", EDU),
    ("{d}水产技术推广站", AGRI), ("{d}环境卫生管理所", BUILD), ("{d}政务服务和大数据管理局", ECON),
    ("{d}人民检察院", LAW), ("{d}博物馆", CULTURE), ("中共{d}委组织部", ADMIN),
    ("{d}石桥乡人民政府", STREET), ("{d}社会福利院", CIVIL), ("{d}急救中心", HEALTH),
    ("{d}第二职业高级中学", EDU), ("{d}防汛抗旱指挥部办公室", AGRI), ("{d}建设工程质量安全监督站", BUILD),
    ("{d}工商业联合会", ECON), ("{d}消防救援大队", LAW), ("{d}科学技术协会", CULTURE),
    ("中共{d}委宣传部", ADMIN), ("{d}开发区管理委员会", STREET), ("{d}审计局", ADMIN),
    ("中共{d}委统战部", ADMIN), ("{d}机关事务服务中心", ADMIN), ("共青团{d}委员会", CIVIL),
];

/// Numbered departments after the named ones: `{d}第{k}中学`, … (unique for any count).
pub(crate) const NUMBERED: [(&str, &str, usize); 10] = [
    ("{d}第", "街道办事处", STREET),
    ("{d}第", "中学", EDU),
    ("{d}第", "小学", EDU),
    ("{d}第", "社区卫生服务中心", HEALTH),
    ("{d}第", "幼儿园", EDU),
    ("{d}第", "养老服务中心", CIVIL),
    ("{d}第", "水利管理站", AGRI),
    ("{d}第", "市政养护所", BUILD),
    ("{d}第", "文化站", CULTURE),
    ("{d}第", "司法所", LAW),
];

pub(crate) struct Dept {
    pub(crate) name: String,
    pub(crate) domain: &'static Domain,
}

pub(crate) fn department(district: &str, i: usize) -> Dept {
    if i < NAMED.len() {
        let (tpl, dom) = NAMED[i];
        return Dept {
            name: tpl.replace("{d}", district),
            domain: &DOMAINS[dom],
        };
    }
    let j = i - NAMED.len();
    let (head, tail, dom) = NUMBERED[j % NUMBERED.len()];
    let k = j / NUMBERED.len() + 1;
    Dept {
        name: format!("{}{k}{tail}", head.replace("{d}", district)),
        domain: &DOMAINS[dom],
    }
}

pub(crate) const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢",
];
pub(crate) const GIVEN: [&str; 32] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "华", "建", "国", "红", "文", "斌", "俊", "慧", "鹏", "琳",
];

/// Per department, the same in every year: who fills the form and the duties.
pub(crate) struct DeptStable {
    pub(crate) filled_by: String,
    pub(crate) phone: String,
    pub(crate) functions: Vec<String>,
    pub(crate) satisfaction_as_level1: bool,
}

pub(crate) const FUNCTION_TEMPLATES: [&str; 7] = [
    "贯彻执行国家和省、市关于{field}工作的方针政策和法律法规，研究拟订全区{field}发展规划并组织实施。",
    "负责全区{obj}的统筹协调、监督管理和指导服务工作。",
    "组织实施{obj}相关工作，指导基层单位做好{obj2}工作。",
    "负责{field}领域专项资金的管理和监督，提高财政资金使用效益。",
    "承担{field}信息统计、宣传培训和对外联络工作。",
    "负责本单位党的建设、干部队伍建设和精神文明建设工作。",
    "负责{obj2}领域的安全管理和应急处置工作。",
];

impl DeptStable {
    pub(crate) fn new(seed: u64, d: usize, dept: &Dept) -> DeptStable {
        let mut rng = Rng::derive(&[seed, S_DEPT, d as u64]);
        let given: String = (0..rng.range(1, 2)).map(|_| rng.pick(&GIVEN)).collect();
        let filled_by = format!("{}{given}", rng.pick(&SURNAMES));
        let phone = if rng.chance(70) {
            format!("8{:07}", rng.range(0, 9_999_999))
        } else {
            format!(
                "1{}{:09}",
                rng.pick(&["3", "5", "7", "8", "9"]),
                rng.range(0, 999_999_999)
            )
        };
        let dom = dept.domain;
        let n = rng.range(2, 6) as usize;
        let ends_with_other = rng.chance(60);
        let picks = rng.subset(
            FUNCTION_TEMPLATES.len(),
            if ends_with_other { n - 1 } else { n },
        );
        let base = rng.below(dom.objs.len());
        let obj = |i: usize| dom.objs[(base + i) % dom.objs.len()];
        let mut functions: Vec<String> = picks
            .iter()
            .enumerate()
            .map(|(k, &p)| {
                FUNCTION_TEMPLATES[p]
                    .replace("{field}", dom.field)
                    .replace("{obj}", obj(2 * k))
                    .replace("{obj2}", obj(2 * k + 1))
            })
            .collect();
        if ends_with_other {
            functions.push("完成区委、区政府交办的其他任务。".to_string());
        }
        let functions = functions
            .into_iter()
            .enumerate()
            .map(|(k, f)| format!("{}、{f}", k + 1))
            .collect();
        DeptStable {
            filled_by,
            phone,
            functions,
            satisfaction_as_level1: rng.chance(50),
        }
    }
}
