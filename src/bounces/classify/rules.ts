import type { BounceReason } from './result.ts';

/**
 * A pattern in a diagnostic that names a reason. `weak` rules (expired, network, system trouble) only
 * decide when the enhanced status code says nothing more specific.
 */
export interface TextRule {
  readonly id: string;
  readonly reason: BounceReason;
  readonly pattern: RegExp;
  readonly weak?: true;
}

/** An Orange / La Poste refusal code ("OFR_506", "LPN007_416", "OFR005_505") ending in one of `codes`. */
function orangeCode(codes: readonly string[]): RegExp {
  return new RegExp(`\\b(?:OFR|LPN|OUK)(?:\\d{3})?[_-]?(?:${codes.join('|')})\\b`, 'i');
}

/**
 * The diagnostic-text rules, tried in order; the first match wins. The order is the policy:
 * evidence that the message or our sender was refused (blocklists, authentication, spam, sender, content)
 * comes before evidence that the address is dead, so a diagnostic that says both stays soft; a
 * misclassified soft bounce costs a few retries, a misclassified hard one loses a reader.
 */
export const TEXT_RULES: readonly TextRule[] = [
  // Providers' own documented codes say more than any words around them. Orange and La Poste (France) end a
  // refusal with OFR/LPN/OUK and a three-digit code (postmaster.orange.fr): 506 suspected spam; 102, 103, 401, 510,
  // 999 our IP or SPF; 104 too many connections; 403, 405, 415, 421 our sender; 416, 418 no such recipient; 417 a
  // full mailbox; 420, 426 an archived or blocked account; 505 their trouble; 514 too big.
  { id: 'provider.orange-spam', reason: 'spam_detected', pattern: orangeCode(['506']) },
  {
    id: 'provider.orange-blocked',
    reason: 'blocked',
    pattern: orangeCode(['102', '103', '401', '510', '999']),
  },
  { id: 'provider.orange-connections', reason: 'network_error', pattern: orangeCode(['104']) },
  { id: 'provider.orange-sender', reason: 'rejected', pattern: orangeCode(['403', '405', '415', '421']) },
  { id: 'provider.orange-unknown', reason: 'user_unknown', pattern: orangeCode(['416', '418']) },
  { id: 'provider.orange-full', reason: 'mailbox_full', pattern: orangeCode(['417']) },
  { id: 'provider.orange-suspended', reason: 'suspended', pattern: orangeCode(['420', '426']) },
  { id: 'provider.orange-system', reason: 'system_error', pattern: orangeCode(['505']) },
  { id: 'provider.orange-size', reason: 'message_too_big', pattern: orangeCode(['514']) },
  // Mimecast's documented refusals (its SMTP error code list): a geographic restriction or a content policy, a
  // verdict of its virus and spam scanner, a sender blocked by the reader's organisation, a poor IP reputation.
  {
    id: 'provider.mimecast-policy',
    reason: 'policy',
    pattern: /\bhost network,? not allowed\b|\banti-spoofing policy\b|\bcontent examination policy\b/i,
  },
  {
    id: 'provider.mimecast-scanner',
    reason: 'spam_detected',
    pattern: /\bemail rejected due to security policies\b/i,
  },
  {
    id: 'provider.mimecast-sender',
    reason: 'rejected',
    pattern:
      /\badministrative prohibition envelope blocked\b|\benvelope blocked - user (?:domain )?entry\b|\bblock policy for (?:header|envelope) from\b/i,
  },
  { id: 'provider.mimecast-reputation', reason: 'blocked', pattern: /\blocal ct ip reputation\b/i },
  // Yahoo and AOL: "dd a@b is no longer valid" is an account they closed, not an address that never was.
  { id: 'provider.yahoo-closed', reason: 'suspended', pattern: /\bdd \S{1,254} is no longer valid\b/i },
  // The receiving side wants TLS we did not offer, or its certificate or DANE/MTA-STS records failed: trouble on
  // the route (the mapping's failedstarttls), decided before the X.7.x status that comes with it.
  {
    id: 'network.tls',
    reason: 'network_error',
    pattern:
      /\bSTARTTLS (?:is required|command first|may not be repeated)\b|\bmust issue a STARTTLS\b|\bTLS (?:is )?required\b|\brequires? (?:encryption|TLS)\b|\bTLS not available\b|\bdoes not support TLS\b|\bTLS\/SSLv3 Connection required\b|\bhigh-strength ciphers\b|\bTLS version 1\.\d or greater\b|\bstarttls-not-supported\b|\bcertificate-expired\b|\btlsa-invalid\b|\bdnssec-invalid\b|\bcertificate-host-mismatch\b|\bfailed MTA-STS validation\b|\bTLS missing certificate\b/i,
  },
  // Our sending IP's or domain's standing: refused or slowed down for its reputation (before the rate rule, as
  // "rate limited due to IP reputation" is about who we are, not how fast we send).
  {
    id: 'blocked.reputation',
    reason: 'blocked',
    pattern:
      /\b(?:poor|bad|low) (?:e-?mail |sender |ip |domain )?reputation\b|\breputation (?:of|is too low|problems?|score)\b|\b(?:ip|sender|domain) reputation\b|\bbad ip profile\b/i,
  },
  // A provider that slows us down for missing authentication or a missing PTR record says so with the rate
  // limit: the cause named is ours to fix (Gmail's 4.7.23-4.7.40 notices), not the pace.
  {
    id: 'auth.rate-limited',
    reason: 'auth_failure',
    pattern:
      /\brate limited because\b[^\n]{0,120}?\b(?:unauthenticated|SPF|DKIM|DMARC|aligned|authentication)\b|\bSPF record of the sending domain\b/i,
  },
  // Our sending IP's name in the DNS.
  {
    id: 'blocked.ptr',
    reason: 'blocked',
    pattern:
      /\bPTR[- ]records?\b|\bPTR resource record\b|\breverse (?:dns|lookup)\b|\brDNS\b|\bcannot find your (?:hostname|reverse hostname)\b|\bIP name lookup failed\b|\bcannot resolve your (?:address|ip|host(?:name)?)\b|\bforward dns (?:entry|record)\b|\bunresolvable relay host\b/i,
  },
  // We sent too much too fast, or held too many connections, to one place: try later, slower (the recipient's
  // address says nothing). Providers call it a rate limit, throttling, speeding, a connection or session limit.
  {
    id: 'network.rate',
    reason: 'network_error',
    pattern:
      /\b(?:sent to|has sent) too many recipients\b|\bfrequency limited\b|\btoo many recipients this\b|\breceiving mail at a rate\b|\brate[ -]limit(?:ed|ing)?\b|\bthrottl(?:ed|ing)\b|\btoo many (?:(?:concurrent |simultaneous |smtp |open )?(?:connections|sessions)|concurrent)\b|\bconnection limit\b|\bmax(?:imum)? (?:number of )?(?:e-?mails|messages|recipients) per (?:hour|minute|day|session|connection)\b|\btry again slower\b|\bsending rate\b|\btrop de connexions\b|\b(?:daily|hourly|sending) (?:message |sending )?quota\b|\btoo many recipients\b|\bRecipLimit\b|\b(?:receiving|sending) (?:mail|messages|e-?mails) too quickly\b|\b(?:relay|sending|receive|recipient|connection|thread) (?:sending )?limit (?:is )?(?:exceeded|reached)\b|\blimit for (?:the number of )?message recipients\b|\bper hour message receive limit\b|\bmaximum number of connections\b|\bmessage threshold exceeded\b|\bfrequency of receiving messages is limited\b|\bexcessive volume\b|\bmax(?:imum)? messages? per connection\b|\bsent too many messages this hour\b|\bsubmission quota\b|\bletter sending limit\b|\bexceeded permitted limits\b|\bexceeded (?:the )?threshold\b|\bmessages they can receive per hour\b/i,
  },
  // A link in the message is on a URI blocklist: the content is the problem, not our sender.
  {
    id: 'spam.uri-list',
    reason: 'spam_detected',
    pattern:
      /\b(?:black|block|deny)listed (?:URL|URI|link|domain in (?:the )?message)s?\b|\b(?:uribl|surbl)\b/i,
  },
  // A content filter named, or its score given: the message read as spam (before the blocklist rules, as
  // "blocked by SpamAssassin" is a verdict on the content, not on our IP).
  {
    id: 'spam.filter',
    reason: 'spam_detected',
    pattern:
      /\bspam ?assassin\b|\bspam ?profiler\b|\brecurrent pattern detection\b|\b(?:spam )?score \(?[\d.]+\)? (?:is )?(?:over|above|exceeds) (?:the )?threshold\b|\bbulk\.advertising\b|\bblocked by our (?:spam )?filter\b|\bcontent filter agent quarantined\b|\bmail content denied\b|\brejecting mail content\b|\bspamming (?:is )?not allowed\b/i,
  },
  // cPanel's Exim: "The account or domain may not exist, they may be blacklisted, or missing the proper dns entries"
  // is its notice for a domain that does not resolve; the blocklist it mentions is only a guess.
  { id: 'host_unknown.cpanel', reason: 'host_unknown', pattern: /\bthe account or domain may not exist\b/i },
  // Our IP or domain is blocked, or rate limited (soft: says nothing about the reader's address).
  {
    id: 'blocked.dnsbl',
    reason: 'blocked',
    pattern:
      /^[45]\d\d[ -](?:[245]\.\d\.\d{1,3} )?blocked\b|\bblocked using\b|\blisted (?:at|in|on|by) [\w-]+\.[\w.-]+/i,
  },
  {
    id: 'blocked.list-name',
    reason: 'blocked',
    pattern:
      /\b(?:spamhaus|spamcop|sorbs|barracudacentral|uceprotect|abuseat|spamrats|invaluement)\b|\b(?:dnsbl|rbl)\b/i,
  },
  {
    id: 'blocked.blocklist',
    reason: 'blocked',
    pattern: /\b(?:block|black|deny|ban)[ -]?list(?:ed)?\b|\bblocklisted\b/i,
  },
  {
    id: 'blocked.ip',
    reason: 'blocked',
    pattern:
      /\b(?:banned|blocked) (?:sending )?ip\b|\bip (?:address )?(?:\[?[\d.:a-f]+\]? )?(?:is |has been )?(?:blocked|banned)\b|\bnot accepted from (?:this|your) ip\b|\bclient host (?:\[[^\]]*\] )?(?:rejected|blocked)\b|\brefused to talk to me\b|\b(?:invalid|unverifi?y?able) (?:sending )?IPs?\b|\bmismatch(?:es)? (?:the )?client ip\b|\bservice refused\b|\bopen relay\b|\bnot (?:currently )?accepting mail from your ip\b|\b(?:bad )?sender ip (?:address )?(?:rejected|refused|blocked)?|\bforbidden by your ip\b|\bdynamic ips?\b|\bhosts? with dynamic\b|\bzombied\b|\bopen proxy\b|\bsmtp server of your isp\b|\bHELO command rejected\b|\bnot allowed to connect\b|\bmail server at \S{1,64} is blocked\b|\bmail from [\d.:a-f]{3,45} refused\b|\byour access ip\b|\blooks suspiciously like (?:a )?spammer\b|\bno access from mail server\b|\bconfirm this mail server\b|\bserver requires confirmation\b|\b(?:currently|you are) sending spam\b|\bspam ips\b|\byour ip address (?:\([^()\s]{1,64}\) )?has been blocked\b|\bbad HELO\b|\bHELO\/EHLO argument\b|\bemail over IPv6\b|\bIP not in (?:the )?(?:whitelist|allow ?list)\b/i,
  },
  {
    id: 'blocked.rate',
    reason: 'blocked',
    pattern:
      /\bunusual rate\b|\btoo many (?:messages|emails|spams?|unwanted messages|errors) (?:have been sent )?from (?:your|the following|this) (?:ip|host|server)|\bunexpected volume\b|\bTSS\d\d\b|\bpermanently deferred\b/i,
  },
  // Japanese carriers: the reader's "refuse mail from these domains" setting (受信拒否, 指定受信).
  { id: 'blocked.ja-refusal', reason: 'blocked', pattern: /受信拒否|拒否設定|指定受信|ドメイン指定/ },

  // The message breaks RFC 5322 (duplicate headers): a content rule, even when the header named is DKIM's.
  {
    id: 'policy.not-compliant',
    reason: 'policy',
    pattern:
      /\bduplicate header\b|\bnot RFC ?5322 compliant\b|\bRfcMessageNonCompliant\b|\bmultiple from headers?\b|\b8-?bit data in (?:the )?(?:message )?header\b|\binvalid MIME\b|\bimproperly[- ]formatted\b|\bunnecessary base64\b|\bmalformed (?:MIME|message|header)s?\b/i,
  },
  // SMTP AUTH required (the server takes mail only from its own users): a site policy, not SPF/DKIM.
  {
    id: 'policy.smtp-auth',
    reason: 'policy',
    pattern:
      /\bunauthenticated (?:senders?|users?|relay(?:ing)?|mail) (?:are )?(?:not allowed|prohibited|refused)\b|\bauthentication (?:is )?required\b|\bauthentication credentials (?:invalid|rejected)\b|\bnot authori[sz]ed to perform ses:|\bnot subscribed to ses\b/i,
  },
  // The receiver's own verdict that the message is spam, even when it then advises on SPF or DKIM.
  {
    id: 'spam.verdict',
    reason: 'spam_detected',
    pattern:
      /\b(?:rejected|refused|blocked) (?:due to|because of) (?:a )?spam\b|\bspam classification\b|\bUBE\b/i,
  },

  // SPF, DKIM, DMARC, ARC (RFC 7372 codes X.7.20-X.7.29 come with these words).
  { id: 'auth.dmarc', reason: 'auth_failure', pattern: /\bDMARC\b/i },
  { id: 'auth.spf', reason: 'auth_failure', pattern: /\bSPF\b|\bsender policy framework\b/i },
  { id: 'auth.dkim', reason: 'auth_failure', pattern: /\bDKIM\b|\bDomainKeys\b/i },
  {
    id: 'auth.unauthenticated',
    reason: 'auth_failure',
    pattern:
      /\bunauthenticated\b|\bnot pass authentication\b|\bauthentication (?:checks? )?(?:failed|failure)\b|\bfailed authentication\b|\bARC validation\b|\bauthentication information\b|\bfails? to pass authentication\b|\brequired authentication level\b/i,
  },

  // The content looked like spam.
  {
    id: 'spam.word',
    reason: 'spam_detected',
    pattern:
      /\bspam\b|\bspammy\b|\bspam[- ](?:score|filter|content|detected)|\banti-?spam\b|\bjunk (?:e-?)?mail\b|\bUCE\b/i,
  },
  {
    id: 'spam.unsolicited',
    reason: 'spam_detected',
    pattern:
      /\bunsolicited\b|\bbulk (?:e-?)?mail\b|\bhigh probability of being\b|\b(?:classified|identified|flagged|detected) as (?:spam|junk|bulk)\b/i,
  },
  { id: 'spam.ja', reason: 'spam_detected', pattern: /迷惑メール/ },

  // Our sender address (or our right to relay) was refused.
  {
    id: 'rejected.sender',
    reason: 'rejected',
    pattern:
      /\bsender (?:address )?(?:rejected|refused|denied|invalid|unknown|not (?:allowed|permitted|authori[sz]ed))|\bsender (?:domain|address) (?:must exist|does not exist|not found|has (?:a )?null MX)|\bsender verify failed\b|\bunable to verify sender\b|\bunroutable sender\b|\b(?:bad|invalid) sender\b(?! ip)|\bmail from (?:address )?(?:rejected|refused|denied|invalid)\b|\bCustomFromDenied\b|\bsender (?:e-?mail )?address (?:rejected|refused)\b|\bBATV\b|\bbogus mail from\b|\b(?:null|empty(?: envelope)?) senders? (?:is |are )?not allowed\b|\bdomain of sender address\b|\bsender not pre-?approved\b|\bemetteur invalide\b|\bfully qualified (?:e-?mail )?address required\b|\bnot owned by user\b|\b(?:e-?mail )?address is not verified\b|\breturned mail not accepted\b|\bthird-party DSNs?\b|\bunsigned DSN\b|\bbackscatter\b|\blist of senders to accept mail from\b|\bthis server does not accept mail from\b|\bvalid sender domain\b|\bpurported responsible address\b|\bsubmit messages to this e-?mail system\b|\bsender domain is empty\b|\bMAIL FROM domain\b|\bsender (?:was )?not authenticated\b|\bnot in (?:the )?allowed[- ]senders? list\b|\bbadmailfrom\b|\byour (?:e-?mail address|envelope sender|domain) (?:\([^()\s]{1,254}\) )?has been blocked\b/i,
  },
  // A mailing list that takes posts from its members only.
  {
    id: 'rejected.not-member',
    reason: 'rejected',
    pattern:
      /\bnot a member of (?:this|the) (?:mailing )?list\b|\bpost(?:s|ing)? (?:is |are )?(?:restricted|limited) to members\b|\bnot allowed to post to (?:this|the) (?:mailing )?list\b|\bmembers-only list\b|\bclosed mailing list\b|\bnot subscribed to this group\b/i,
  },
  {
    id: 'rejected.relay',
    reason: 'rejected',
    pattern:
      /\brelay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed))|\bnot permitted to relay\b|\bno relaying\b|\b(?:we|i) do not relay\b|\bunable to relay\b|\b(?:not|isn'?t) in my list of allowed rcpthosts?\b|\bas a relay\b|\brelaying mail to\b|\bnot (?:allowed|configured) to relay\b|\bnot a gateway\b|\bwe don'?t handle mail for\b|\bauthentication when attempting to send to a non-local\b/i,
  },

  // A content or administrative policy refused this message.
  {
    id: 'spam.virus',
    reason: 'spam_detected',
    pattern: /\bvirus(?:es)?\b|\bmalware\b|\binfected\b/i,
  },
  {
    id: 'policy.security',
    reason: 'policy',
    pattern: /\bphishing\b|\bsecurity (?:issue|risk|reasons)\b/i,
  },
  {
    id: 'policy.content',
    reason: 'policy',
    pattern:
      /\bcontent (?:filter|rejected|restrictions?|violation|not accepted)\b|\b(?:prohibited|banned|forbidden|blocked) (?:attachment|file|content|extension|url|link)s?\b|\battachment[^.]{0,40}\b(?:not allowed|prohibited)\b|\b(?:message|mail) (?:was )?filtered\b|\b(?:illegal|executable|unsafe|dangerous) (?:attachment|file|content)s?\b|\bimages or other attachments\b|\bnot accepting mail with\b/i,
  },
  {
    id: 'policy.policy',
    reason: 'policy',
    pattern:
      /\bpolic(?:y|ies)\b|\bnot (?:authori[sz]ed|permitted|allowed) to (?:send|receive|deliver)\b|\bdelivery not authori[sz]ed\b|\bNotAuthorized\b|\btransport rule\b|\bexternal forwarding\b|\bonly accepts mail from\b|\bmoderat(?:ed|ion|or)\b|\borgani[sz]ational settings\b|\bmass mailer\b|\bcontent presents a potential\b|\bmessages with multiple addresses\b/i,
  },

  // au (KDDI) answers "550 : User unknown", naming no address, when the reader's domain filter refuses us.
  {
    id: 'policy.ja-domain-filter',
    reason: 'policy',
    pattern: /(?:^|\bsaid:\s*)5\d\d:?[^\S\n]*:[^\S\n]*user unknown\b/im,
  },
  // The reader chose not to take our mail (a filter of their own, an allow list): the address is alive.
  {
    id: 'policy.recipient-preferences',
    reason: 'policy',
    pattern:
      /\brecipient(?:'s)? (?:preferences?|settings)\b|\bonly accept(?:s|ing)? (?:e-?)?mail from (?:specific|certain|selected)\b|\b(?:you have been|sender is|you are) blocked by the recipient\b|\brefuses? to receive (?:this |your |any )?(?:e-?)?mail\b|\baccount is protected by\b|\brestricted SMS e-?mail\b|\buser rules\b/i,
  },
  // A local delivery agent (procmail, mail.local, a program Exim pipes to) failed: the mailbox exists, the
  // server is in trouble.
  {
    id: 'system.local-delivery',
    reason: 'system_error',
    pattern:
      /\b(?:procmail|mail\.local|maildrop|local delivery)\b[^\n]{0,40}\b(?:couldn'?t|cannot|can'?t|unable to) (?:create|open|write|lock)\b|^[^\S\n\r\u2028\u2029]*pipe to \|/im,
  },
  // The program a local delivery hands the message to failed (Sendmail's "unknown mailer error 1", Postfix's
  // "Command died with status 1", an X-Unix diagnostic): the server's trouble, not the address's.
  {
    id: 'system.mailer',
    reason: 'system_error',
    pattern:
      /\bunknown mailer error\b|\bmailer error\b|\bcommand (?:died|failed|exited) with (?:status|signal)\b|\bX-Unix\s*;|\bcommand (?:failed|output):|\|\| exit\b|\berror while executing\b|\bbad interpreter\b/i,
  },

  // The mailbox exists but cannot take this message now.
  {
    id: 'suspended.account',
    reason: 'suspended',
    pattern:
      /\b(?:account|mailbox|user)\b[^.]{0,40}?\b(?:is|has been|was) (?:disabled|suspended|deactivated|inactive|locked|frozen|closed|not active|temporarily (?:limited|unavailable|disabled))\b|\b(?:disabled|suspended|inactive|deactivated) (?:account|mailbox|user)\b|\bmailbox disabled\b|\baccount disabled\b|\bDisabledUser\b|\brecipient(?:'s)? account is blocked\b/i,
  },
  // The words MTAs and providers use for an account they suspended, locked, archived or closed for a while (163.com's
  // "user suspended", QQ's, vpopmail's "account is locked", Orange's "archived recipient"): it exists.
  {
    id: 'suspended.mta-wording',
    reason: 'suspended',
    pattern:
      /\bcurrently suspended\b|\bhas been (?:temporarily )?suspended\b|\btemporar(?:y|ily) locked\b|\barchived recipient\b|\bboite du destinataire archivee\b|\buser is terminated\b|\bmailbox unavailable or access denied\b|\btemporarily inactive\b|\brecipient suspend the service\b|\bthis address no longer accepts mail\b|\buser suspended\b|\baccount is locked\b|\bdisabled or discontinued\b/i,
  },
  {
    id: 'suspended.ja',
    reason: 'suspended',
    pattern: /(?:利用|使用|サービス)(?:を|が)?(?:停止|休止)|停止中/,
  },
  {
    id: 'mailbox_full.quota',
    reason: 'mailbox_full',
    pattern:
      /\bover (?:the )?(?:allowed )?quota\b|\bquota (?:exceeded|full|limit)|\bexceeded (?:the |its )?(?:storage|quota)|\bmail ?box (?:is )?(?:full|over)\b|\bmail ?box (?:size|storage) limit|\bmailfolder is over\b|\bfull mailbox\b|\bmail ?box (?:has )?exceeded\b|\bmail ?box exceeds (?:the )?(?:allowed|its|maximum) size\b|\bQuotaExceeded|\bOverQuota\b|\b(?:disk|storage|mail ?box|user ?disk|domain ?disk|disk ?space) quota\b|\bquota (?:violation|usage|reached)\b|\b(?:exceed(?:s|ed|ing)?|reached) (?:their |its |his |her |the )?(?:mail ?box |disk |storage )?quota\b|\bmail ?folder (?:is )?full\b|\bboite (?:du destinataire |aux lettres )?pleine\b|\b(?:does not have|not) enough (?:storage )?space\b|\bwould exceed (?:the )?maximum allowed storage\b|\bspace has been used up\b|\btoo many messages (?:on the server|in (?:the|this|his|her) mail ?box)\b/i,
  },
  {
    id: 'mailbox_full.ja',
    reason: 'mailbox_full',
    pattern:
      /容量(?:が|を)?(?:超過|オーバー|一杯|いっぱい|不足)|メールボックス(?:が|の容量が)(?:一杯|いっぱい|満杯)/,
  },
  {
    id: 'message_too_big.size',
    reason: 'message_too_big',
    pattern:
      /\bmessage (?:size |length )?(?:exceeds|too (?:big|large|long))|\b(?:message|mail) (?:is )?too (?:big|large)\b|\bsize (?:exceeds|limit exceeded)|\bexceeds (?:the )?(?:fixed |maximum |max |message )?(?:size|maximum)|\bmaximum (?:message )?size\b|\bfile too large\b|\bmax(?:imum)? (?:inbound |incoming )?message size\b|\bmessage file too big\b|\btaille limite du message\b|\b(?:message )?size limit\b|\bmaximum (?:e-?mail|message) size exceeded\b/i,
  },
  { id: 'message_too_big.ja', reason: 'message_too_big', pattern: /サイズ(?:が|の)?(?:制限|上限|大き)/ },
  // The receiving server's disk is full (RFC 5321's 452 "insufficient system storage"): not the reader's mailbox.
  {
    id: 'system.full',
    reason: 'system_error',
    pattern:
      /\binsufficient (?:disk|system) (?:space|storage)\b|\bout of disk space\b|\bno space left on device\b/i,
  },

  // The address itself is dead (hard).
  {
    id: 'has_moved.moved',
    reason: 'has_moved',
    pattern:
      /\b(?:user|mailbox|recipient|address) (?:has )?moved\b|\bhas moved\b|\bnot local; please (?:try|forward)\b|\b(?:mailbox|domain) owner has changed\b|\bhas been replaced by\b/i,
  },
  {
    id: 'not_accept.null-mx',
    reason: 'not_accept',
    pattern:
      /\bnull ?MX\b|\b(?:does not|doesn't) receive (?:e-?)?mail\b|\bnot accepting network messages\b|\bno SMTP service\b|\bno MX (?:record )?found\b|\b(?:does not|doesn't|do not) accept (?:any )?(?:e-?)?mail(?! from| over)\b|\baccepts no (?:e-?)?mail\b|\bno mail service\b|\bMX or SRV record indicated no SMTP service\b|\bcouldn'?t find a mail exchanger or IP address\b/i,
  },
  // A name server that did not answer for now (Postfix "Host not found, try again", Sendmail's
  // "host name lookup failure", Exim's "unrouteable mail domain", Exchange's "DNS records … could not be found"):
  // trouble in the DNS or the route, not a dead domain (RFC 3463 X.4.3).
  {
    id: 'network.dns-temporary',
    reason: 'network_error',
    pattern:
      /\bhost not found, try again\b|\btemporary (?:DNS|name service|name server) (?:failure|error)\b|\bDNS (?:lookup|query) timed out\b|\bhost name lookup failure\b|\bunrouteable mail domain\b|\bDNS records for the destination computer could not be found\b|\bunable to resolve route\b|\bMxLoopback\b|\b(?:could not contact DNS servers|DNS lookup failed|temporary failure in MX lookup)\b/i,
  },
  {
    id: 'host_unknown.dns',
    reason: 'host_unknown',
    pattern:
      /\bhost (?:or domain name )?not found\b|\bhost unknown\b|\bdomain is not reachable\b|\bdomain (?:name )?not found\b|\bno such (?:domain|host)\b|\bunknown (?:mail )?(?:domain|host)\b|\b(?:domain|host) (?:does not|doesn't) exist\b|\bunroute?able (?:mail )?(?:address|domain)\b|\bnon-existent (?:host|domain)\b|\bname service error\b|\bname or service not known\b|\bmail domain mentioned in email address is unknown\b|\brecipient domain must exist\b|\bDNS lookup failure: host [\w.-]+ not found\b|\ball relevant MX records point to non-existent hosts\b|\ball host address lookups failed permanently\b|\baddress resolution of \S+ failed\b|\bNXDOMAIN\b|\billegal host\/domain name\b|\breturned answer with no data\b|\bremote domain doesn'?t exist\b|(?:^|;\s*)[45]\d\d (?:[45]\.\d\.\d{1,3} )?[a-z0-9-]+(?:\.[a-z0-9-]+)+ does not exist\s*$|\bno MX (?:record|host)s? (?:found |for )/im,
  },
  {
    id: 'host_unknown.ja',
    reason: 'host_unknown',
    pattern: /ドメイン(?:名)?(?:が|は)?(?:存在しません|見つかりません|不明)/,
  },
  {
    id: 'user_unknown.unknown',
    reason: 'user_unknown',
    pattern:
      /\buser(?:name)? (?:is )?unknown\b|\bunknown (?:user|recipient|local[- ]part|mailbox|address(?! error)|alias|account)\b|\baddressee unknown\b|\bno such (?:user|mailbox|recipient|address|account|person|local user)\b|\bbad destination mailbox\b|\b(?:unknown or )?illegal alias\b|\b(?:user|recipient)\s*\([^()\s]{1,254}\)\s*unknown\b|\bnon-?existent (?:user|recipient|mailbox|address|account)\b|\bunknown e-?mail address\b|\bbad recipient(?: address)?\b(?! syntax)|\bInvalid final delivery userid\b/i,
  },
  {
    id: 'user_unknown.not-exist',
    reason: 'user_unknown',
    pattern:
      /(?<![\w.@<-])(?:user|mailbox|recipient|address|account|alias|rcpt)\b(?![@.-])(?:[^\S\n]+(?:[^\s.]|\.(?=\S)){1,254}){0,6}?[^\S\n]+(?:does not|doesn't|did not|do not) exist\b|(?<![\w.@<-])(?:user|mailbox|recipient)\s+<?[^\s<>]{1,254}>?\s+(?:was\s+)?not\s+found\b|<[^\s<>@]{1,64}@[^\s<>]{1,254}>\s+not\s+found\b|\bno\s+\S{1,254}\s+in\s+name\s+directory\b|\b(?:user|mailbox|recipient|address|account) (?:not found|not known|invalid|not valid|not listed)\b|\binvalid (?:recipient|mailbox|address|user|account)\b|\bnot (?:a )?(?:valid|known) (?:user|recipient|mailbox|address)\b|\bdoesn'?t have an? \S+ account\b|\bno longer (?:valid|in use|exists|active|available)\b|\bno valid recipients?\b(?! from)/i,
  },
  {
    id: 'user_unknown.mta-wording',
    reason: 'user_unknown',
    pattern:
      /\bRecip(?:ient)?NotFound\b|\b542 \S{1,254} Rejected\b|\bRecipient mailbox is not allowed\b|\bRecipient address rejected\s*\.?\s*$|\b(?:recipient|user|addressee)(?: name)? (?:is )?not recognized\b|\bnot listed in (?:the )?(?:public |global )?name (?:&|and) address book\b|\bno mailbox here\b|\bmailbox unava(?:il|i|l)able\b|\bcouldn'?t be found\b|\bwasn'?t found at\b|\bnot listed in (?:\w+ )?directory\b|\bRecipient address rejected: (?:Access denied|undeliverable address|unverified address)/i,
  },
  // The words MTAs use in their own refusal of an unknown recipient: qmail's badrcptto and validrcptto patches,
  // vpopmail's vdeliver, Exchange's RESOLVER.ADR, Sendmail's and Postfix's site rules, and the same in French,
  // Italian and Spanish.
  {
    id: 'user_unknown.mta-phrases',
    reason: 'user_unknown',
    pattern:
      /\b(?:recipient|user|address) (?:unknown|not exist|not ok)\b|\bbad address\b(?! syntax)|\baddress rejected\s*\.|\baddress not present in directory\b|\bcan'?t accept user\b|\bdestination addresses were unknown\b|\bdestination server rejected recipients\b|\bemail address could not be found\b|\bnot an active address at this host\b|\bmailbox (?:is unavailable|not present)\b|\bno account by that name\b|\bno mail ?box (?:available for this user|by that name|found)\b|\baccount unavailable\b|\brecipient is not (?:accepted|local)\b|\bnot a local address\b|\brecipient refuses to accept your mail\b|\bRESOLVER\.ADR\.(?:Ex)?Recip(?:ient)? ?NotFound\b|\bbadrcptto\b|\bbadrecipientto\b|\bvalidrcptto\b|\binvalid-recipient\b|\buserunknown\b|\benvelope recipient has been denied\b|\brecipients was undeliverable\b|\bemail name is not found\b|\bno one at this address\b|\bspectator does not exist\b|\bmissing home directory\b|\buser not active\b|\butilisateur inconnu\b|\bnessun utente simile\b|\bno existe (?:dicha persona|ese usuario)\b|\binvalid or unknown virtual user\b|\bno se encuentra en el Directorio de Domino\b|\bnon r[ée]pertori[ée] dans l'annuaire Domino\b|\breserved by RFC ?2606\b/i,
  },
  {
    id: 'user_unknown.ja',
    reason: 'user_unknown',
    pattern:
      /(?:アドレス|宛先|ユーザー?|アカウント)(?:は|が)?(?:存在しません|見つかりません|不明)|宛先不明|存在しない(?:メール)?アドレス/,
  },

  // The relay says in so many words that the message expired in its queue (Exchange Online's 5.4.300-5.4.318).
  { id: 'expired.message-expired', reason: 'expired', pattern: /\bmessage expired\b/i },
  // The receiving service's own trouble, named (Exchange Online's replication and store errors).
  {
    id: 'system.service',
    reason: 'system_error',
    pattern: /\bfailed to be replicated\b|\btemporary server error\b|\bagent busy\b|\bStoreDriver MDB\b/i,
  },

  // Weak: the SMTP stage of a refusal that says nothing more specific (RFC 5321 §3.1-3.3). Refused at the
  // greeting or at HELO/EHLO, before any address was given: our host is refused (Exim, Postfix, qmail, and a
  // Sendmail transcript's 5xx reply with no command above it; a 421 there is a busy server). Refused at
  // MAIL FROM: our sender is.
  {
    id: 'blocked.smtp-greeting',
    reason: 'blocked',
    weak: true,
    pattern:
      /\bafter\s+(?:the\s+)?initial\s+connection\b|\bafter\s+(?:HELO|EHLO)\b|\bin\s+reply\s+to\s+(?:HELO|EHLO)\s+command\b|\bmy name was rejected\b|\bgreeting failed\b|^\.{3} while talking to [^\n]*:\n<<< 5\d\d\b/im,
  },
  {
    id: 'rejected.smtp-mail-from',
    reason: 'rejected',
    weak: true,
    pattern:
      /\bafter\s+MAIL\s+FROM\b|\bin\s+reply\s+to\s+MAIL\s+FROM\s+command\b|\bsender was rejected\b|^>>> MAIL From:[^\n]*\n<<< 5\d\d\b/im,
  },

  // Weak: general trouble on the way; the status code decides when it is more specific. A mail or routing loop
  // is trouble on the route (RFC 3463 X.4.6); a loop back to the server itself is its configuration (X.3.5), and
  // a list server that refuses a Message-ID it has seen (fml's loop alert) is its own rule.
  {
    id: 'expired.gave-up',
    reason: 'expired',
    weak: true,
    pattern:
      /\bretry time(?:out)? exceeded\b|\bdid not accept our requests to connect\b|\bfailed (?:after )?\d+ (?:delivery )?attempts\b|\benvelope expired\b|\b(?:message|delivery) (?:time )?expired\b|\bexpired after\b|\bnot delivered (?:within|after|for) \d|\bcould not be delivered for \d|\bgiving up\b|\bgave up\b|\bin the queue too long\b|\btoo long in (?:the )?queue\b|\bmaximum (?:queue|delivery) time\b|\bunreachable for too long\b|\bnot yet been delivered\b|\bhours on the queue\b|\bfailing for a long time\b|\bnot (?:been )?collected after\b|\bmessage timed out\b|\blong failure period\b|\bafter (?:multiple|several|many|repeated) (?:retries|attempts)\b|\bwithin the allowed queue period\b|\bcould not be delivered for more than\b|\bhas been frozen\b|\bfrozen on arrival\b/i,
  },
  {
    id: 'network.connection',
    reason: 'network_error',
    weak: true,
    pattern:
      /\bconnection (?:refused|timed out|reset|closed|lost|died)\b|\b(?:timed out|timeout) (?:while|after|during|reading|waiting|connecting)\b|\blost connection\b|\bno route to host\b|\bnetwork (?:is )?unreachable\b|\b(?:could not|couldn't|can ?not|unable to|failed to) connect\b|\bhost (?:is )?(?:unreachable|not reachable|not responding)\b|\bnot responding\b|\bTLS (?:handshake|negotiation) failed\b|\bbroken pipe\b|\bnetwork error\b|\btoo many hops\b|\bhop count exceeded\b|\b(?:mail|routing) loop\b|\bforwarding loop\b|\bmessage looping\b|\bmalformed (?:or unexpected )?name server reply\b|\bSTARTTLS is required\b|\bTLS required but not supported\b|\bmust issue a STARTTLS\b/i,
  },
  {
    id: 'system.error',
    reason: 'system_error',
    weak: true,
    pattern:
      /\blocal configuration error\b|\bmail (?:system|server) (?:is )?(?:full|error|unavailable)\b|\bsystem (?:error|failure|full)\b|\binternal (?:server )?error\b|\btemporary (?:local )?(?:problem|failure|error)\b|\bloops back to myself\b|\bduplicated? message-id\b|\binsufficient system resources\b|\bout of memory\b|\bserver (?:is )?(?:too )?busy\b|\bservice (?:is )?(?:temporarily |currently )?(?:not available|unavailable)\b|\btry again later\b|\blocal error in processing\b|\bconfig(?:uration)? error\b|\bqueue file write error\b|\binterrupted system call\b|\bcan'?t create user output file\b|\bencountered an error while being processed\b|\bmisconfigured\b|\bforwarding loop broken\b|\bloop was found in the mail exchanger\b/i,
  },
];

/** What an enhanced status code (RFC 3463, RFC 5248 registry) means when the text says nothing clearer. */
export interface StatusRule {
  readonly id: string;
  readonly reason: BounceReason;
  /** Codes without their class ("1.1" matches 4.1.1 and 5.1.1); "7.*" is a whole subject. */
  readonly codes: readonly string[];
}

/**
 * Status rules: exact subject.detail codes first, then whole subjects ("N.*") as a fallback. X.0.0, X.1.0,
 * X.1.4, X.1.5, X.1.9 and X.2.0 say nothing useful and are left to the text and the reply code.
 */
export const STATUS_RULES: readonly StatusRule[] = [
  { id: 'status.user-unknown', reason: 'user_unknown', codes: ['1.1', '1.3'] },
  { id: 'status.host-unknown', reason: 'host_unknown', codes: ['1.2', '4.4'] },
  // X.7.17/X.7.18: RFC 7293 (the mailbox or domain changed owner since the address was given).
  { id: 'status.has-moved', reason: 'has_moved', codes: ['1.6', '7.17', '7.18'] },
  // X.1.10: RFC 7505 null MX, the recipient's domain accepts no mail.
  { id: 'status.not-accept', reason: 'not_accept', codes: ['1.10'] },
  { id: 'status.suspended', reason: 'suspended', codes: ['2.1', '7.13'] },
  { id: 'status.mailbox-full', reason: 'mailbox_full', codes: ['2.2'] },
  { id: 'status.too-big', reason: 'message_too_big', codes: ['2.3', '3.4', '7.16'] },
  { id: 'status.expired', reason: 'expired', codes: ['4.7'] },
  // X.7.27: our sender's domain has a null MX (RFC 7505); X.1.7/X.1.8: bad sender address.
  { id: 'status.rejected', reason: 'rejected', codes: ['1.7', '1.8', '7.27'] },
  // X.7.25: reverse DNS of our IP failed; X.7.28: flood of mail from us (RFC 7372, RFC 8098 registry).
  { id: 'status.blocked', reason: 'blocked', codes: ['7.25', '7.28'] },
  {
    id: 'status.auth',
    reason: 'auth_failure',
    codes: ['7.20', '7.21', '7.22', '7.23', '7.24', '7.26', '7.29'],
  },
  { id: 'status.network', reason: 'network_error', codes: ['4.*'] },
  { id: 'status.system', reason: 'system_error', codes: ['2.4', '3.*', '5.*'] },
  { id: 'status.policy', reason: 'policy', codes: ['6.*', '7.*'] },
];

/** What a bare SMTP reply code (RFC 5321 §4.2.3) means when there is no enhanced code and no known text. */
export interface ReplyCodeRule {
  readonly id: string;
  readonly reason: BounceReason;
  readonly codes: readonly number[];
}

/** Only the codes whose meaning is settled; 550, 553 and 554 are used for everything and stay `other`. */
export const REPLY_CODE_RULES: readonly ReplyCodeRule[] = [
  // 552 "Requested mail action aborted: exceeded storage allocation".
  { id: 'reply.storage', reason: 'mailbox_full', codes: [552] },
  // 421 service not available, 451 local error in processing, 452 insufficient system storage.
  { id: 'reply.system', reason: 'system_error', codes: [421, 451, 452] },
  // 500-504: the server did not understand a command or its parameters (RFC 5321 §4.2.1, x0z syntax).
  { id: 'reply.syntax', reason: 'system_error', codes: [500, 501, 502, 503, 504] },
];
