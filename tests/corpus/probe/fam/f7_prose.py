P_GH = "GitHub issue bug-report prose (template 'Describe the bug / Steps to reproduce / Logs'), after linphone-android, baresip-studio, jitsi and Jami issue threads; phrasing per language written fresh"
P_FORUM = "VoIP forum / helpdesk ticket prose (FreePBX community, ip-phone-forum.de, forum.asterisk.org style), written fresh"
T = [
("prose-de-jobtitle", P_FORUM, """Unser Buchhalter ⟦n|Krause⟧ hat seit dem Update keine Anrufe mehr auf seiner Durchwahl -⟦u|214⟧. Die Kollegin ⟦n|Schubert⟧ aus dem Vertrieb (Durchwahl -⟦u|217⟧) ist auch betroffen."""),
("prose-de-jobtitle", P_FORUM, """Geschäftsführer ⟦n|Albrecht⟧ Bescheid gegeben. Azubi ⟦n|Lina⟧ ⟦n|Sommerfeld⟧ testet morgen mit ihrem Diensthandy ⟦ph|0160/97 35 21 88⟧."""),
("prose-de-report", P_GH, """**Beschreibung**
Wenn mich meine Frau (⟦n|Ute⟧) vom Festnetz ⟦ph|(0 30) 4 56 78 90⟧ anruft, zeigt baresip nur "anonymous". Mein Account ist ⟦u|hwinkler⟧ bei sipgate, SIP-ID ⟦u|2839471e0⟧.
**Erwartet**: Name aus dem Adressbuch („⟦n|Ute⟧ ⟦n|Winkler⟧“)."""),
("prose-fr-collegue", P_FORUM, """Bonjour, ma collègue Mme ⟦n|Garnier⟧ (poste ⟦u|5521⟧) n'arrive plus à transférer vers le standard. Le technicien, ⟦n|Yannick⟧, a relevé l'IP du téléphone : ⟦ip|192.168.40.77⟧. Son portable pro : ⟦ph|07 81 23 45 67⟧."""),
("prose-fr-report", P_GH, """Depuis la mise à jour, Linphone affiche « ⟦n|Bertrand⟧ ⟦n|Lemoine⟧ » pour tous les appels entrants du numéro ⟦ph|+33 (0)4 78 12 34 56⟧. Mon identifiant est ⟦u|clemoine⟧ sur sip.linphone.org, mot de passe changé depuis (ancien : ⟦sec|soleil1984⟧)."""),
("prose-es-jefe", P_FORUM, """Hola, mi jefe, el señor ⟦n|Quintana⟧, no recibe llamadas en la ext. ⟦u|3307⟧ desde ayer. La recepcionista ⟦n|Lucía⟧ ⟦n|Herrero⟧ dice que suena una vez y se corta. Mi móvil es el ⟦ph|655 12 34 56⟧ por si necesitáis algo."""),
("prose-es-report", P_GH, """**Describe el error**: Zoiper en Android se desregistra cada 10 min. Usuario SIP ⟦u|mherrero_92⟧, servidor pbx.example.es, IP pública ⟦ip|88.27.201.14⟧. Probado con la cuenta de mi hermano ⟦n|Iker⟧ y pasa lo mismo."""),
("prose-it-collega", P_FORUM, """Buongiorno, il collega ⟦n|Bianchi⟧ dell'amministrazione ha l'interno ⟦u|4120⟧ e da lunedì il suo Yealink non si registra più. L'ing. ⟦n|Ferraro⟧ ha già provato a resettarlo. Cellulare aziendale: ⟦ph|+39 335 123 4567⟧."""),
("prose-it-report", P_GH, """Ciao, uso Linphone con l'account ⟦u|giorgia.conti⟧@sip.linphone.org. Quando chiamo mia madre al ⟦ph|06 1234 5678⟧ la chiamata cade dopo 32 secondi. Firmato: ⟦n|Giorgia⟧ ⟦n|Conti⟧, Roma"""),
("prose-pt-report", P_GH, """Olá! Meu ramal é ⟦u|2010⟧ e o do meu gerente, o Sr. ⟦n|Gonçalves⟧, é ⟦u|2011⟧. Desde ontem o MicroSIP mostra "403 Forbidden". Meu celular: ⟦ph|(11) 98765-4321⟧. Obrigado, ⟦n|Thiago⟧ ⟦n|Moura⟧"""),
("prose-pt-pt", P_FORUM, """Boa tarde, a minha colega ⟦n|Inês⟧ ⟦n|Carvalho⟧ (extensão ⟦u|118⟧) deixou de receber chamadas do ⟦ph|+351 21 123 4567⟧. Cumprimentos, ⟦n|Rui⟧"""),
("prose-ru-declined", P_FORUM, """Добрый день. Не могу дозвониться до ⟦n|Петрову⟧ ⟦n|Ирине⟧ ⟦n|Сергеевне⟧ на внутренний ⟦u|305⟧. Звонил также ⟦n|Кузнецову⟧ — тишина. Мой мобильный: ⟦ph|8 (916) 123-45-67⟧, логин SIP ⟦u|akuznetsov⟧."""),
("prose-ru-report", P_GH, """**Описание**: после обновления Jami не видит контакт ⟦u|olga_smirnova⟧ (⟦n|Ольга⟧ ⟦n|Смирнова⟧). Мой ID: ⟦id|5e2b8d1f4a7c0e3b6d9f2a5c8e1b4d7f0a3c6e9b⟧. Телефон для связи ⟦ph|+7 (812) 555-01-23⟧."""),
("prose-bg-report", P_FORUM, """Здравейте, колегата ⟦n|Иванов⟧ от счетоводството няма сигнал на вътрешен ⟦u|214⟧. Обадете се на ⟦ph|0888 123 456⟧ или на ⟦n|Мария⟧ ⟦n|Петрова⟧ на ⟦ph|02 987 65 43⟧."""),
("prose-nl-meneer", P_FORUM, """Goedemiddag, meneer ⟦n|Jansen⟧ van de boekhouding (toestel ⟦u|231⟧) kan sinds vanochtend niet meer bellen. Mevrouw de ⟦n|Wit⟧ heeft het ook. Bel mij terug op ⟦ph|06-12345678⟧. Groet, ⟦n|Joost⟧ van der ⟦n|Heijden⟧"""),
("prose-nl-report", P_GH, """**Bug**: bij inkomende oproepen van ⟦ph|+31 (0)20 123 4567⟧ toont de app "⟦n|Sanne⟧ ⟦n|Bakker⟧" i.p.v. het nummer. Mijn SIP-account: ⟦u|sbakker⟧, wachtwoord ⟦sec|Fiets!Gracht9⟧ (tijdelijk)."""),
("prose-pl-pan", P_FORUM, """Dzień dobry, Pan ⟦n|Kowalski⟧ z księgowości (wewnętrzny ⟦u|112⟧) nie może się dodzwonić do Pani ⟦n|Nowak⟧. Proszę o kontakt pod numerem ⟦ph|601 234 567⟧. Pozdrawiam, ⟦n|Krzysztof⟧ ⟦n|Wójcik⟧"""),
("prose-pl-report", P_GH, """**Opis błędu**: Po aktualizacji Linphone rozłącza połączenia do ⟦ph|+48 22 123 45 67⟧. Konto: ⟦u|kwojcik⟧@sip.example.pl, hasło ⟦sec|Zubr2024#⟧. Testowała też moja żona ⟦n|Agata⟧."""),
("prose-tr-bey", P_FORUM, """Merhaba, muhasebeden ⟦n|Mehmet⟧ Bey'in dahili hattı ⟦u|204⟧ dünden beri çalmıyor. ⟦n|Ayşe⟧ Hanım da aynı sorunu yaşıyor. Cep: ⟦ph|0532 123 45 67⟧. Saygılarımla, ⟦n|Emre⟧ ⟦n|Şahin⟧"""),
("prose-tr-report", P_GH, """**Hata açıklaması**: Zoiper'da ⟦u|esahin⟧ kullanıcısıyla kayıt oluyor ama ⟦ph|+90 212 555 12 34⟧ aranınca 488 dönüyor. Sunucu IP: ⟦ip|185.22.184.9⟧."""),
("prose-en-jobtitle", P_FORUM, """Our receptionist ⟦n|Gwen⟧ can't pick up calls for Dr. ⟦n|Patel⟧ anymore. Manager ⟦n|Okonkwo⟧ asked me to open this. ⟦n|Gwen⟧'s extension is ⟦u|2002⟧ and her cell is ⟦ph|(312) 555-0174⟧."""),
("prose-en-lowercase", P_GH, """hey, my buddy ⟦n|dwayne⟧ and me both get 408 on outbound. my acct is ⟦u|dwayne_r⟧ on sip.example.com, his is ⟦u|tyrell88⟧. call me at ⟦ph|646.555.0199⟧ if u need logs"""),
("prose-en-signature", P_GH, """Thanks in advance!
--
⟦n|Priya⟧ ⟦n|Raghunathan⟧ | Senior VoIP Engineer | ⟦em|priya.r@example.co.uk⟧
M: ⟦ph|+44 7700 900 817⟧ | T: ⟦ph|+44 20 7946 0123⟧ ext. ⟦u|4417⟧"""),
("prose-en-possessive", P_GH, """Steps: 1) log in as ⟦u|hsato⟧ 2) call ⟦n|Haruto⟧'s desk phone (⟦u|3012⟧) 3) transfer to ⟦n|Yuki⟧ ⟦n|Tanaka⟧'s mobile ⟦ph|090-1234-5678⟧. Result: one-way audio."""),
("prose-de-dialect-number", P_FORUM, """Ruf mal beim ⟦n|Sepp⟧ an, der hat die Nummer null acht neun, ⟦ph|zwei drei vier fünf sechs sieben acht⟧, der kennt sich mit der Fritzbox aus."""),
("prose-mixed-cjk", P_GH, """用户 ⟦n|王芳⟧ 的分机 ⟦u|8012⟧ 无法注册，手机 ⟦ph|139 1234 5678⟧，SIP 账号 ⟦u|wangfang⟧@pbx.example.cn"""),
("prose-ja", P_GH, """お世話になっております。⟦n|山田⟧様の内線⟦u|４１２⟧が繋がりません。携帯は⟦ph|０９０−１２３４−５６７８⟧です。"""),
("prose-el", P_FORUM, """Καλησπέρα, ο συνάδελφος ⟦n|Παπαδόπουλος⟧ (εσωτερικό ⟦u|215⟧) δεν λαμβάνει κλήσεις. Κινητό: ⟦ph|694 123 4567⟧."""),
("prose-ar", P_FORUM, """مرحبا، الزميل ⟦n|أحمد⟧ ⟦n|الحسن⟧ لا يستقبل المكالمات على التحويلة ⟦u|٢١٤⟧، جواله ⟦ph|٠٥٠١٢٣٤٥٦٧⟧"""),
("prose-en-ticket", P_FORUM, """Ticket #88213 – caller Mrs ⟦n|Abernathy⟧ (account holder ⟦n|Gerald⟧ ⟦n|Abernathy⟧, DOB ⟦id|14/03/1961⟧, postcode ⟦geo|SW1A 2AA⟧) reports the VoIP line ⟦ph|020 7946 0958⟧ drops after 30s."""),
]
