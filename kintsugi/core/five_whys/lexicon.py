"""Word lists for the root-cause checks: outside parties, triggers, conditions, labels.

Data, not code, so that a reviewer can read exactly what makes a root cause "a vendor",
"a trigger" or "a label", and a team can extend a list without touching a rule. English
only; another language is another set of these lists.
"""

from __future__ import annotations

from kintsugi.core.five_whys.words import word_set

# Named providers and kinds of outside party. Multi-word names are written with spaces;
# the matcher allows any run of spaces or hyphens between their words.
EXTERNAL_PARTIES = (
    "aws", "amazon web services", "amazon", "gcp", "google cloud", "azure", "microsoft",
    "cloudflare", "akamai", "fastly", "github", "gitlab", "let's encrypt", "letsencrypt",
    "stripe", "adyen", "paypal", "braintree", "twilio", "sendgrid", "mailgun", "okta",
    "auth0", "heroku", "digitalocean", "digital ocean", "linode", "hetzner", "ovh",
    "vercel", "netlify", "npm", "pypi", "docker hub", "apple", "app store", "play store",
    "google play", "firebase", "apns", "fcm", "pagerduty", "datadog", "s3", "ec2", "rds",
    "vendor", "provider", "third party", "third-party", "upstream", "isp", "carrier",
    "carriers", "partner", "supplier", "transit provider", "registrar", "data center",
    "data centre", "datacenter", "datacentre", "the internet", "internet", "maintainer",
    "maintainers", "acquirer", "payment processor", "processor", "cdn", "saas",
    # kinds of outside party, named by what they are to us
    "manufacturer", "utility company", "power company", "energy company",
    "certificate authority", "code host", "code hosting", "hosting service",
    "hosting provider", "public registry", "package registry", "cloud provider",
    # outsiders who act against us: "An entity gained access to the organization"
    "attacker", "attackers", "hacker", "hackers", "threat actor", "intruder", "intruders",
    "an entity", "unknown party", "malicious actor", "malicious party",
)  # fmt: skip

# Outside events that nobody on our side set off.
EXTERNAL_EVENTS = (
    "viral", "ddos", "dos attack", "denial of service", "denial-of-service", "botnet",
    "fibre cut", "fiber cut", "fibre lines", "fiber lines", "power outage", "power failure",
    "power cut", "natural disaster", "earthquake", "hurricane", "flood", "heat wave",
    "heatwave", "solar flare", "leap second", "cosmic ray", "act of god", "bgp leak",
    "bgp hijack", "routing problems on the internet", "internet routing",
    "grid failure", "grid outage", "roadworks", "road works", "construction work",
    # events in the world that change how people use us
    "pandemic", "covid", "lockdown", "lightning",
)  # fmt: skip

# Software we run but do not write: a root cause that is a defect in one of them ("A
# MySQL bug sometimes caused ORDER BY to be ignored") stops at upstream, as a vendor's
# outage does, unless it says how we depend on it. Extend per team in configuration.
UPSTREAM_SOFTWARE = (
    "mysql", "mariadb", "postgres", "postgresql", "mongodb", "redis", "memcached", "kafka",
    "zookeeper", "etcd", "consul", "cassandra", "elasticsearch", "opensearch", "rabbitmq",
    "nginx", "haproxy", "envoy", "kubernetes", "docker", "linux", "the kernel", "glibc",
    "openssl", "the jvm", "java", "node.js", "nodejs", "golang", "python", "ruby", "rails",
    "django", "boltdb", "vxworks", "windows", "ios", "android", "chrome", "firefox",
    "third-party library", "third party library", "open source library", "open-source library",
    "third-party sdk", "third party sdk",
)  # fmt: skip

# What a trigger looks like: a change someone made or an event of load. Matched as word
# prefixes ("deploy" covers "deployed", "deployment").
TRIGGER_EVENTS = (
    "deploy", "redeploy", "release", "rolled out", "rollout", "roll out", "rolling out",
    "upgrade", "upgrading", "updated", "update to", "migrated", "migration ran",
    "patched", "config push", "configuration push", "config change", "configuration change",
    "change to the config", "pushed", "flag was flipped", "flag was turned on",
    "flag was enabled", "flipped", "turned on", "switched on", "campaign", "batch job",
    "batch export", "nightly job", "traffic spike", "traffic surge", "spike in", "spike of",
    "surge in", "surge of", "the sale", "on-sale", "launch", "restarted", "maintenance",
    "merged", "cut over", "cutover", "went out", "started a", "ran a", "kicked off",
    "was scheduled", "was applied", "applied", "rotated", "renamed", "schema change",
    "bumped", "bump", "shipped", "went live", "introduced", "pulled in", "switched to",
    "moved to", "backfill", "reindex", "black friday", "cyber monday", "peak season",
    "more traffic", "load test", "onboarded", "was changed", "were changed",
    # load arriving all at once, in other words
    "wave of", "influx", "rush of", "burst of", "flood of", "stampede", "thundering herd",
    "huge number of", "large number of", "went on sale", "sale opened", "sales opened",
    # updates that happen to us
    "os update", "system update", "security update", "automatic update", "auto-update",
    "update ran", "updates ran", "update was installed", "patch ran", "patch was installed",
    # changes and events named as nouns: "the cms plugin update", "hotfix 3.2.1", "the
    # scheduled signing key rotation", "the monthly patch night", "the traffic peak"
    "update", "rotation", "hotfix", "patch", "edit", "retrain", "traffic peak", "peak",
    "change request", "event started",
    # a change of ours named as such: "An internal change intended to reduce load reverted ..."
    "internal change", "code change", "recent change",
    # a one-off change told in the passive: "StackEgg was enabled for all users", "'/' was
    # checked into the blacklist", "its capacity had been downgraded to save money"
    "was enabled", "were enabled", "checked in", "downgrad",
    # load named by its size alone: "Extreme load: a new peak of 3.4 million users"
    "extreme load", "record load", "unprecedented load", "unprecedented traffic",
    "unprecedented demand", "new peak", "record number",
)  # fmt: skip

# When an event happened: a root cause that dates an event ("on Sunday night", "at 18:00",
# "the weekend of the migration") tells what happened, not what let it do harm.
TIME_ANCHORS = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend",
    "that day", "that night", "that morning", "last night", "this morning", "yesterday",
    "on the 1st", "on the 2nd", "on the 3rd", "at night", "overnight", "at midnight",
)  # fmt: skip
# Words of something happening, for a dated root cause.
EVENT_WORDS = word_set(
    "ran run started start began begin happened happen happens occurred update updates "
    "updated change changes changed edit edited patch patched release released rotation "
    "rotated migration migrated deploy deployed deployment upgrade upgraded event window "
    "retrain launch launched push pushed implemented applied install installed"
)

# Words that make a clause a condition (what was, or was not, in place) rather than an
# event. A root cause that says any of these describes how the system let the trigger
# do harm, which is what we want from it.
CONDITION_MARKERS = word_set(
    "no not never without lacks lack lacked lacking missing only nothing none nobody "
    "cannot can't doesn't don't didn't isn't wasn't aren't weren't hasn't haven't every "
    "always default defaults unbounded unlimited off disabled unchecked untested unreviewed "
    "unmonitored unguarded manual manually hard-coded hardcoded shared single whenever any "
    "because since though although instead predates still assumes assumed relies rely "
    "relied depends depend depended treats treated ignores ignored silently optional "
    "synchronously scales gap gaps incomplete insufficient inadequate "
    # A behaviour that recurs is a condition: "each time it came back up".
    "each"
)

# Words that name a group of people, a role or a department: as the subject of a root
# cause that acts, they end the chain on people (the person words in words.py cover
# single persons).
GROUP_WORDS = word_set(
    "qa ops devops sysops netops secops dbops department departments squad squads guild "
    "guilds crew crews group groups staff trainee trainees junior juniors senior seniors "
    "newcomer newcomers hire hires consultant consultants freelancer freelancers "
    "whoever management leadership finance legal marketing sales procurement compliance "
    "helpdesk dev devs superuser super-user superusers super-users leader leaders"
)

# Label heads: nouns that name a kind of problem without saying what happened.
LABEL_HEADS = word_set(
    "factors factor reasons reason issues issue problems problem gap gaps alignment "
    "misalignment breakdown breakdowns silos silo ownership culture pressure priorities "
    "prioritisation prioritization communication miscommunication coordination "
    "awareness visibility clarity complexity debt luck chance circumstances oversight "
    "governance maturity discipline rigour rigor diligence capacity bandwidth workload "
    "resourcing staffing turnover handoff handoffs expectations responsibilities "
    "accountability dysfunction friction shortcomings weaknesses failings challenges "
    "difficulties constraints limitations busy hectic chaos chaotic understanding "
    "knowledge context mindset habits habit trust buy-in consistency "
    # judgments of a whole area, with no mechanism: "a weak security posture", "pipeline
    # sprawl", "logging hygiene is poor", "a perfect storm", "deficiencies in the landscape"
    "posture sprawl hygiene landscape storm planning deficiencies deficiency weakness "
    "immaturity unpredictability unpredictable fragility brittleness neglect sloppiness "
    "quality"
)

# Participles that describe rather than tell what happened ("the groups involved").
NOT_MECHANISM = word_set(
    "involved concerned related affected required needed expected given based used "
    "associated aligned skilled experienced stretched overloaded understaffed siloed shared "
    "accumulated accrued inherited"
)

# Nouns of systems and mechanisms: a root cause that names one of these names something
# that can be changed. Numbers and identifiers (us-east-1, 0042, 5xx) count too.
SYSTEM_NOUNS = word_set(
    "database db table tables index indexes query queries queue queues topic partition "
    "consumer consumers producer worker workers job jobs cron scheduler cache caches "
    "redis memcached kafka rabbitmq dns record records zone ttl certificate certificates "
    "cert certs tls ssl key keys secret secrets token tokens credential credentials "
    "config configuration setting settings default defaults flag flags toggle feature "
    "alert alerts alerting monitor monitoring dashboard dashboards metric metrics log logs "
    "pipeline ci cd build builds deploy deployment test tests fixture fixtures script "
    "scripts tool tooling cli api endpoint endpoints service services server servers host "
    "hosts node nodes pod pods container containers cluster disk disks memory cpu limit "
    "limits quota quotas timeout timeouts retry retries pool connection connections lock "
    "locks migration migrations schema replica replicas backup backups balancer proxy "
    "gateway firewall rule rules network subnet vpc bucket buckets storage file files "
    "runbook runbooks checklist checklists template templates form forms ui button page "
    "field fields validation validator parser library sdk client version versions "
    "dependency dependencies mirror registry webhook webhooks healthcheck health check "
    "checks probe probes canary rollout rollback autoscaler replication slot slots wal "
    "inventory linter lint review approval approvals permission permissions role-based "
    "access iam policy policies budget budgets schedule schedules calendar ticket "
    "tickets on-call rotation paging page pages pager escalation sla slo quota "
    "threshold thresholds encoding payload message messages event events email emails "
    "header headers cookie cookies session sessions loader handler code function class "
    "model models column columns row rows release releases branch branches repo "
    "repository commit terraform helm kubernetes k8s ingress"
)

# Synonyms folded together before two texts are compared, so that "The API was down"
# restates "Why was the API unavailable?". Each group's first word is its canonical form;
# words are matched after the light stemming of text.py.
SYNONYM_GROUPS = (
    "fail unsuccessful unabl failure error break broken crash declin reject refus fault",
    "unavailable down offline unreachable inaccessible outage dead unresponsive",
    "slow slowly latency sluggish delay laggy",
    "full exhaust saturat maxed",
    "overload overwhelm",
    "usage consumption utilis utiliz",
    "login logon signin",
    "api endpoint",
    "stop halt stall hang hung stuck freeze froze deadlock",
    "crash die died kill oom",
    "missing lost disappear gone vanish lack absent",
    "wrong incorrect invalid bad corrupt inaccurate inexact",
    "empty blank",
    "deny denied forbid unauthoris unauthoriz",
    "behind lag lagg",
    "timeout",
    "increase rise grow spike surge jump climb",
    "stale outdat old older age staleness fresh freshness",
    "delet remov drop purg wip",
    "start launch begin",
    "renew extend prolong",
    "expir lapse",
    "resolv resolution",
    "sleep asleep suspend hibernat",
    "terminat quit abort",
    "decreas reduc reduction fall fell lower shrink dip",
    "fast quick quickly rapid rapidly",
    "send deliver email mail",
    "user customer client",
    "slowly",
)

# "not X" read as one word: "did not succeed" is "fail", "was not reachable" "unavailable".
ANTONYMS = {
    "succeed": "fail",
    "success": "fail",
    "work": "fail",
    "available": "unavailable",
    "reachabl": "unavailable",
    "respond": "unavailable",
    "up": "unavailable",
    "fast": "slow",
    "quick": "slow",
    "run": "stop",
    "running": "stop",
    "complet": "fail",
    "finish": "fail",
    "load": "fail",
    "hit": "missing",
    "include": "missing",
    "contain": "missing",
    "valid": "wrong",
    "move": "stop",
    "progress": "stop",
}

# Phrases folded before tokenising: "took a long time" is "slow".
PHRASES = (
    ("took a long time", "slow"),
    ("taking longer", "slow"),
    ("took longer", "slow"),
    ("take longer", "slow"),
    ("takes longer", "slow"),
    ("not able to", "fail to"),
    ("wasn't able to", "fail to"),
    ("weren't able to", "fail to"),
    ("had not caught up", "behind"),
    ("hadn't caught up", "behind"),
    ("has not caught up", "behind"),
    ("not caught up", "behind"),
    ("did not catch up", "behind"),
    ("didn't catch up", "behind"),
    ("sat there", "stuck"),
    ("no content", "empty"),
    ("passed its end date", "expired"),
    ("past its end date", "expired"),
    ("take a long time", "slow"),
    ("took long", "slow"),
    ("take long", "slow"),
    ("took too long", "slow"),
    ("high latency", "slow"),
    ("ran out of", "exhausted"),
    ("run out of", "exhausted"),
    ("went down", "down"),
    ("go down", "down"),
    ("log in", "login"),
    ("logged in", "login"),
    ("sign in", "signin"),
    ("signed in", "signin"),
    ("reached the end of its validity period", "expired"),
    ("reached the end of its validity", "expired"),
    ("end of its validity period", "expired"),
    ("no longer valid", "expired"),
    ("not valid anymore", "expired"),
    ("past its expiry date", "expired"),
    ("past its expiration date", "expired"),
    ("ended in a failed state", "failed"),
    ("ended in an error state", "failed"),
    ("in a failed state", "failed"),
    ("in an error state", "failed"),
    ("did not complete successfully", "failed"),
    ("didn't complete successfully", "failed"),
    ("did not finish successfully", "failed"),
    ("unable to", "fail to"),
    ("could not", "fail to"),
    ("couldn't", "fail to"),
    ("cannot", "fail to"),
    ("can't", "fail to"),
    ("failed to", "fail to"),
    ("under heavy load", "overloaded"),
    ("under high load", "overloaded"),
    ("heavy load", "overloaded"),
    ("high load", "overloaded"),
    ("at 100%", "full"),
    ("too much load", "overloaded"),
    ("could not keep up", "slow"),
    ("couldn't keep up", "slow"),
    ("did not keep up", "slow"),
    ("didn't keep up", "slow"),
    ("not keeping up", "slow"),
    ("response times were high", "slow"),
    ("response time was high", "slow"),
    ("response times went up", "slow"),
    ("response times increased", "slow"),
    ("high response times", "slow"),
    ("long response times", "slow"),
    ("took seconds", "slow"),
    ("error rate", "error"),
    ("errors rate", "error"),
    ("returned errors", "error"),
    ("returning errors", "error"),
    ("threw errors", "error"),
    ("not available", "unavailable"),
    ("not reachable", "unavailable"),
    ("timed out", "timeout"),
    ("time out", "timeout"),
    ("did not respond in time", "timeout"),
    ("ran out of disk space", "full"),
    ("ran out of space", "full"),
    ("no space left", "full"),
    ("out of date", "stale"),
    ("maxed out", "overloaded"),
    ("at capacity", "overloaded"),
    ("at 100% cpu", "overloaded"),
    ("ran out of memory", "memory exhausted"),
    ("run out of memory", "memory exhausted"),
    ("running out of memory", "memory exhausted"),
    ("out of memory", "memory exhausted"),
    ("out-of-memory", "memory exhausted"),
    ("went out", "sent"),
    ("go out", "sent"),
    ("goes out", "sent"),
    ("gone out", "sent"),
    ("took place", ""),
    ("take place", ""),
    ("for some reason", ""),
    ("for no apparent reason", ""),
    ("out of nowhere", ""),
)

# Words that carry no cause in a restatement ("lots of", "basically", "getting").
FILLERS = word_set(
    "lot lots many much well basically really actually simply literally kind sort like "
    "somehow get getting got gets being seem seemed seems apparently obviously "
    "certain certainly quite rather bit some number numerous several various suddenly "
    "unexpectedly successfully successful properly correctly anymore longer "
    "happen happened happens happening occur occurred occurs occurring"
)

# Verbs with a particle that are also written as one word: "check out" and "checkout",
# "roll-out" and "rollout" are the same word when two answers are compared.
CLOSED_COMPOUNDS = word_set(
    "checkout login logout signin signup signout rollout setup shutdown startup cleanup "
    "lookup pickup handoff takeover failover dropoff"
)

# Nouns that name the whole product or its frame, not a part of it: an answer that adds
# only one of them to its question says nothing new ("Mobile users were logged out of the
# app" after "Why were mobile users logged out?").
SCOPE_NOUNS = word_set("app application apps site website platform product system")

# Nouns a verb already implies: "logged out" is out of a session, "sent" is a message.
# An answer that adds only such a noun restates its question. Keys are canonical stems
# (meaning.py), values the stems of the nouns they imply.
IMPLIED_NOUNS = {
    "log": word_set("session account"),
    "login": word_set("session account"),
    "logout": word_set("session account"),
    "signin": word_set("session account"),
    "send": word_set("message"),
    "full": word_set("space disk"),
    "query": word_set("databas"),
    # Whoever could not reach it: "not available to clients" adds no one.
    "unavailable": word_set("user"),
    # What fails is a job or a run: "the export job failed" after "why did the export fail?"
    "fail": word_set("job task"),
}

# A word and the more general word it is a kind of: an answer that says the general word
# restates a question that says the specific one ("The app failed to start up" after "Why
# did the app crash on launch?"). Canonical stems (meaning.py), specific -> general.
HYPERNYMS = {
    "crash": "fail",
    "stop": "fail",
    "unavailable": "fail",
    "reject": "fail",
}

# Words of finding out: a root cause about detection ("no alert watches expiry", "nobody
# noticed") is addressed by an alert; any other root cause is not addressed by items that
# only detect its symptom sooner. Matched as word prefixes.
DETECTION_WORDS = (
    "alert", "alarm", "monitor", "page", "paging", "pager", "paged", "notice", "unnoticed",
    "detect", "dashboard", "watch", "metric", "observ", "visib", "silent", "log", "logging",
    "notif", "on-call", "oncall", "escalat", "threshold", "caught", "catch", "exit code",
    "exit status", "exits with", "status 0", "health check", "probe", "measure", "tracked",
)  # fmt: skip

# Verbs of an item that only finds out sooner: it adds a signal, not a change.
DETECTION_VERBS = word_set("alert page notify monitor track graph watch chart warn log report")
DETECTION_NOUNS = word_set(
    "alert alerts alarm alarms dashboard dashboards monitor monitors monitoring graph graphs "
    "panel panels metric metrics notification notifications page pages"
)

# An item that repairs what this incident broke names its object so: "the missing
# variable", "the expired certificate", "the stuck jobs".
REPAIRED_OBJECTS = word_set(
    "missing deleted expired failed stuck affected broken leftover lost corrupted corrupt "
    "orphaned stale dropped crashed dead hung duplicate duplicated"
)

# Words that cannot carry a cause, so an answer that adds only these to what was asked
# says it again: degree ("extremely high", "a large and growing number"), frequency
# ("intermittently", "repeatedly"), quantity and scope ("all of our", "the whole"), frames
# ("a failure state", "an error condition", "its behaviour"), verbs that only show or keep
# a symptom ("was showing errors", "kept returning", "switched into"), and talk ("yeah so
# basically"). Used only to judge restating and looping answers (rules_chain.py).
NON_CAUSAL = word_set(
    # degree
    "extremely critically very highly severely seriously significantly considerably badly "
    "heavily hugely massively large huge big massive enormous high higher growing grew grow "
    "steadily gradually increasingly totally completely entirely utterly overall "
    "severe serious significant noticeably drastically sharply dramatically too so such "
    # frequency and time
    "repeatedly intermittently constantly continuously continually periodically "
    "occasionally sometimes often frequently regularly sporadically randomly consistently "
    "persistently eventually finally soon immediately now anymore time times point ever "
    "once night nights morning mornings evening afternoon day days week weeks hour hours "
    "minute minutes month months weekend today yesterday tonight usual usually whole "
    # quantity and scope
    "number amount volume count entire whole most lot lots every all any of "
    # frames
    "state condition conditions mode status situation behaviour behavior manner fashion "
    "way form response responses outcome result results symptom symptoms issue issues "
    "problem problems event occurrence execution operation instance level levels usage "
    "owing "
    # verbs that show, keep or enter a state
    "return returned returning returns show showed showing shows display displayed "
    "displaying give gave giving throw threw throwing answer answered answering respond "
    "responded responding report reported reporting present presented exhibit exhibited "
    "experience experienced experiencing encounter encountered see saw seen observe "
    "observed become became becoming turn turned turning switch switched "
    "switching enter entered entering remain remained stay stayed keep kept keeping "
    "continue continued sit sat sitting end up ended hold held holding "
    # talk
    "yeah yes ok okay um uh well basically just there itself themselves anyway whatsoever "
    "literally actually really"
)
