"""The built-in exercise library and programs in German: pure data, no Django.

An overlay on workshops/library_content.py, mirrored: ``EXERCISES`` and ``PROGRAMS`` are keyed by the
English entries' ``key`` and hold only the human-readable texts, in the English shape (lists in the same
order). Keys, kinds, numbers and durations come from the English; workshops.library_i18n.localized merges.

Written in the informal "du" (lower case, as Duden recommends for ordinary texts): couples' workshops in
German-speaking countries are run on "du", and "Sie" would read clinical for a subject this close. A couple
is addressed as "ihr". The partner is "dein Gegenüber" or "die andere Person", never a gendered noun.
"""

from workshops.library_content import _t

EXERCISES = {
    # ------------------------------------------------------------------ arriving
    "arrival-pulse": {
        "title": "Ankommen: ein anonymes Stimmungsbild",
        "summary": _t("""
            Ein behutsamer Einstieg: Zwei anonyme Fragen zeigen der Moderation, wie es der Gruppe gerade
            geht, ohne dass sich jemand vor allen erklären muss.
        """),
        "practice": "Anonymes Stimmungsbild der Gruppe",
        "steps": [
            {
                "title": "Willkommen",
                "participant_text": _t("""
                    Willkommen! Hier musst du nichts von dir zeigen, was du nicht zeigen möchtest. Jede
                    Frage darfst du auslassen, und du musst nie erklären, warum. Was du in einer
                    persönlichen Reflexion schreibst, sieht niemand außer dir, auch dein Gegenüber nicht.
                    Die nächsten beiden Fragen sind anonym: Zu sehen ist nur das Gesamtergebnis, nie, wer
                    was geantwortet hat.
                """),
                "facilitator_notes": _t("""
                    Stell dich vor und beschreib in wenigen Sätzen, wie die Session abläuft. Sag deutlich,
                    dass man jederzeit etwas auslassen darf und dafür keinen Grund braucht. Erklär, dass
                    die Antworten auf Umfragen anonym sind und nur zusammengefasst erscheinen. Fass dich
                    kurz: Ankommen gelingt eher durchs Tun als durchs Zuhören.
                """),
                "content_note": "",
            },
            {
                "title": "Wie sicher fühlt sich dieser Raum an?",
                "participant_text": _t("""
                    Antworte ehrlich. Niemand, auch nicht die Moderation, kann sehen, wer was gewählt hat.
                """),
                "facilitator_notes": _t("""
                    Lies die Verteilung laut vor, ohne über Einzelne zu spekulieren. Liegen mehrere
                    Antworten im unteren Bereich, sprich das freundlich an, etwa so: Manche kommen
                    vorsichtig hier an, und das ist völlig verständlich. Geh die nächste Übung dann etwas
                    langsamer an.
                """),
                "content_note": "",
                "config": {
                    "question": "Wie sicher fühlt sich dieser Raum gerade für dich an?",
                    "scale": {"min_label": "Noch nicht sicher", "max_label": "Sehr sicher"},
                },
            },
            {
                "title": "Ein Wort für dein Ankommen",
                "participant_text": "Ein Wort reicht. Nervös, neugierig, müde: Jedes Wort ist willkommen.",
                "facilitator_notes": _t("""
                    Zeig die Wörter und lies einige vor, auch solche, die nach Unbehagen klingen. Mach
                    deutlich, dass Nervosität dazugehört: Über Nähe und Macht zu sprechen ist für die
                    meisten Paare neu, und ein wenig Verlegenheit zeigt, dass alle es ernst nehmen.
                """),
                "content_note": "",
                "config": {"question": "In einem Wort: Wie kommst du heute hier an?"},
            },
        ],
    },
    # ---------------------------------------------------- check-in ground rules
    "check-in-ground-rules": {
        "title": "Unser Check-in und seine Gesprächsregeln",
        "summary": _t("""
            Paare richten sich eine feste, geschützte Zeit ein, um über Bedürfnisse, Grenzen und
            Einverständnis zu sprechen, und vereinbaren, wie sie dabei miteinander reden: aus der eigenen
            Erfahrung, ohne Verallgemeinerungen und mit der Rückfrage, ob sie richtig verstanden haben,
            bevor sie antworten.
        """),
        "practice": "Gesprächsregeln für den Check-in",
        "steps": [
            {
                "title": "Ein fester Platz für eure Gespräche",
                "participant_text": _t("""
                    Gespräche über Intimität gelingen leichter, wenn sie einen festen Platz haben: eine
                    Zeit, mit der ihr beide rechnet, einen Ort, an dem euch niemand stört, und ein paar
                    Regeln, die den Ton freundlich halten. In dieser Übung legt ihr fest, wann euer
                    Check-in stattfindet und wie ihr dabei miteinander sprecht.
                """),
                "facilitator_notes": _t("""
                    Stell drei Gesprächsregeln vor, zu jeder ein kurzes Beispiel. Aus der eigenen Erfahrung
                    sprechen („Ich habe mich gehetzt gefühlt“ statt „Du hetzt mich“). „Immer“ und „nie“
                    weglassen. Vor dem Antworten wiedergeben, was man gehört hat, und nachfragen, ob es so
                    gemeint war. Sag außerdem, dass man sich in solchen Gesprächen oft verletzlich fühlt:
                    Das ist normal und kein Zeichen, dass etwas nicht stimmt.
                """),
                "content_note": "",
            },
            {
                "title": "Wie oft?",
                "participant_text": _t("""
                    Wähle, was du dir ehrlich wünschst. Ihr seht beide Antworten gleichzeitig. Wenn sie
                    sich unterscheiden, ist das gut zu wissen und kein Problem, das ihr jetzt lösen müsst.
                """),
                "facilitator_notes": _t("""
                    Oft merken Paare, dass sie sich unterschiedliche Rhythmen wünschen. Schlag vor, einen
                    Monat lang mit dem häufigeren anzufangen und dann nachzujustieren oder sich in der Mitte
                    zu treffen.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Wie oft wünschst du dir einen festen Check-in über eure Intimität?",
                    "options": [
                        "Jede Woche",
                        "Alle zwei Wochen",
                        "Einmal im Monat",
                        "Nur wenn es jemand von uns anspricht",
                        "Das weiß ich noch nicht",
                    ],
                },
            },
            {
                "title": "Euren Check-in festhalten",
                "participant_text": _t("""
                    Füllt das gemeinsam aus. Geht von den drei Gesprächsregeln aus, die ihr gerade gehört
                    habt, und ergänzt, was euch beiden helfen würde. Diese Seite seht nur ihr zwei.
                """),
                "facilitator_notes": _t("""
                    Achte auf Paare, die Regeln über die andere Person aufschreiben („Du unterbrichst mich
                    nicht“). Ermutige sie zu Regeln, die beide einhalten können. Hängt ein Paar bei der
                    Zeitfrage fest, schlag einen ruhigen Ort außerhalb des Schlafzimmers vor und einen
                    Zeitpunkt, an dem niemand müde oder in Eile ist.
                """),
                "content_note": "",
                "config": {
                    "sections": [
                        {
                            "label": "Wann und wo",
                            "hint": _t("""
                                Tag, Uhrzeit, Ort und Dauer. Ein ungestörter Ort, an dem ihr euch beide wohlfühlt.
                            """),
                        },
                        {
                            "label": "Unsere Gesprächsregeln",
                            "hint": _t("""
                                Fangt an mit: aus der eigenen Erfahrung sprechen, „immer“ und „nie“ weglassen,
                                vor dem Antworten nachfragen, ob ihr richtig verstanden habt. Ergänzt eigene
                                Regeln.
                            """),
                        },
                        {
                            "label": "So prüfen wir, ob wir uns verstanden haben",
                            "hint": "Ein Satz, den ihr beide benutzt, etwa: „Dir ist also wichtig, dass … Stimmt das?“",
                        },
                        {
                            "label": "Wenn ein Check-in ausfällt",
                            "hint": "Wie ihr einen neuen Termin findet, ohne euch gegenseitig Vorwürfe zu machen.",
                        },
                    ]
                },
            },
        ],
    },
    # ------------------------------------------------------------ pause signal
    "pause-signal": {
        "title": "Ein Pausenzeichen, auf das wir uns verlassen",
        "summary": _t("""
            Jedes Paar wählt ein einfaches Zeichen, mit dem beide ein Gespräch anhalten können, wenn es zu
            viel wird. Dazu vereinbart das Paar, was danach geschieht und wann es auf das Thema zurückkommt.
        """),
        "practice": "Das Pausenzeichen",
        "steps": [
            {
                "title": "Wozu ein Pausenzeichen?",
                "participant_text": _t("""
                    Manche Themen treffen härter als erwartet. Mit einem Pausenzeichen kann, wer von euch
                    es gerade braucht, ein Gespräch sofort anhalten: ohne Erklärung und mit dem Versprechen,
                    darauf zurückzukommen. Das Zeichen zu nutzen ist kein Scheitern. Gerade so bleibt ein
                    schwieriges Gespräch sicher genug, um es zu Ende zu führen.
                """),
                "facilitator_notes": _t("""
                    Betone beide Hälften der Vereinbarung. Die Pause gilt sofort, ohne Nachfragen und ohne
                    Seufzen. Und das Thema wird später wieder aufgenommen, am besten zu einem Zeitpunkt, den
                    die Person vorschlägt, die pausiert hat. Ein Zeichen, das ein Thema für immer beendet,
                    wird zum Mittel, sich durchzusetzen, statt für Sicherheit zu sorgen.
                """),
                "content_note": "",
            },
            {
                "title": "Was würdest du wirklich nutzen?",
                "participant_text": _t("""
                    Wähle die Art von Zeichen, die du tatsächlich geben könntest, wenn du überwältigt oder
                    aufgewühlt bist.
                """),
                "facilitator_notes": _t("""
                    Erinnere die Paare daran, dass das Zeichen für die Person leicht sein muss, die es am
                    dringendsten braucht.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Welches Zeichen könntest du im entscheidenden Moment am leichtesten geben?",
                    "options": [
                        "Ein Wort oder ein kurzer Satz",
                        "Eine Handbewegung",
                        "Eine Berührung, etwa die Hand drücken",
                        "Ein Gegenstand auf dem Tisch",
                        "Eine Nachricht aufs Handy",
                        "Etwas anderes",
                    ],
                },
            },
            {
                "title": "Euer Pausenzeichen vereinbaren",
                "participant_text": _t("""
                    Schreibt euer Zeichen auf und das Versprechen, das dazugehört. Haltet es so einfach,
                    dass ihr es auch in Aufregung noch wisst. Ihr könnt es später jederzeit ändern.
                """),
                "facilitator_notes": _t("""
                    Prüf, ob jede Vereinbarung drei Fragen beantwortet: Was ist das Zeichen? Was tun beide
                    direkt danach? Wann kommt das Thema wieder auf den Tisch? Hat ein Paar nur das Zeichen
                    notiert, frag nach dem Zurückkommen.
                """),
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Beschreibt euer Pausenzeichen, was ihr beide direkt danach tut und wann ihr auf das
                        Thema zurückkommt.
                    """),
                    "suggestions": [
                        "Ein Wort nur für uns, etwa „Gelb“",
                        "Kurz die flache Hand heben",
                        "Zweimal sanft die Hand drücken",
                        "Wir halten an, atmen dreimal tief durch und trinken etwas Wasser",
                        "Wer pausiert hat, schlägt vor, wann wir weiterreden",
                        "Innerhalb eines Tages reden wir weiter",
                    ],
                },
            },
            {
                "title": "Einmal ausprobieren",
                "participant_text": _t("""
                    Unterhaltet euch über etwas Leichtes, zum Beispiel darüber, was ihr am Wochenende kochen
                    wollt. Irgendwann gibt jemand von euch das Zeichen. Haltet an, atmet durch und spürt
                    nach, wie es sich anfühlt, das Zeichen zu geben und es zu bekommen.
                """),
                "facilitator_notes": _t("""
                    Halte die Probe leicht; Lachen ist erlaubt. Frag danach in die Runde, ohne jemanden zu
                    nennen, ob es schwerer war, das Zeichen zu bekommen, als es zu geben. Das ist oft so.
                """),
                "content_note": "",
            },
        ],
    },
    # ---------------------------------------------------------- naming moments
    "naming-moments": {
        "title": "Momente benennen, ohne Schuld zuzuweisen",
        "summary": _t("""
            Jede Person erinnert sich für sich an echte Momente, in denen sie sich klein gefühlt oder selbst
            die Richtung bestimmt hat. Dann erzählen beide je einen davon und beschreiben, wie er sich auf
            Vertrauen und Nähe ausgewirkt hat, statt nach Schuld zu fragen.
        """),
        "practice": "Momente ohne Schuldzuweisung benennen",
        "steps": [
            {
                "title": "Wahrnehmen, wer entscheidet",
                "participant_text": _t("""
                    Jedes Paar hat seine Muster: wer entscheidet, wer abwartet, wer zuerst spricht. Die
                    wenigsten davon hat jemand bewusst gewählt. Sie stammen aus der Kindheit, aus früheren
                    Beziehungen oder hängen davon ab, wie selbstsicher man sich fühlt. Hier schaut ihr euch
                    ein paar echte Momente an, nicht um sie zu bewerten, sondern damit ihr beide sie klar
                    sehen könnt. Du kannst alles auslassen und musst nie sagen, warum.
                """),
                "facilitator_notes": _t("""
                    Setz den Rahmen: Einfluss wird hier wahrgenommen, nicht angeklagt. Bitte um konkrete
                    Momente („letzten Samstag, als wir …“) statt allgemeiner Aussagen. Mach deutlich, dass
                    es genauso wertvoll ist zu bemerken, wann man selbst mehr Einfluss hatte, wie zu
                    bemerken, wann man weniger hatte. Wirkt jemand belastet, erinnere an das Pausenzeichen
                    und biete eine stille Minute an.
                """),
                "content_note": _t("""
                    Kann Erinnerungen an Druck oder Zwang wecken, aus der Vergangenheit oder der Gegenwart.
                    Erinnere alle daran, dass sie jederzeit auslassen oder pausieren können.
                """),
            },
            {
                "title": "Persönliche Notizen",
                "participant_text": _t("""
                    Was du hier schreibst, siehst nur du: weder dein Gegenüber noch die Moderation. Schreib
                    so viel oder so wenig, wie du magst, oder denk einfach nach.
                """),
                "facilitator_notes": "Sorg für Ruhe im Raum. Kündige eine Minute vorher an, dass es weitergeht.",
                "content_note": _t("""
                    Kann frühere Erfahrungen mit Zwang berühren; erinnere alle daran, dass sie auslassen
                    oder pausieren können.
                """),
                "config": {
                    "prompts": [
                        _t("""
                            Denk an einen Moment aus letzter Zeit, in dem deine Stimme weniger zu zählen schien. Was
                            ist passiert?
                        """),
                        _t("""
                            Denk an einen Moment, in dem du vielleicht mehr gelenkt hast, als du wolltest. Was ist
                            passiert?
                        """),
                        "Wie haben sich diese Momente auf dein Vertrauen, eure Nähe oder deine Lust ausgewirkt?",
                        "Welche Gefühle tauchen auf, wenn du dir etwas wünschst, dich aber zurückhältst?",
                    ]
                },
            },
            {
                "title": "Einen Moment teilen",
                "participant_text": _t("""
                    Such dir einen Moment aus, den du teilen magst; es muss nicht der größte sein. Ihr seht
                    eure Antworten gleichzeitig. Bedankt euch danach beieinander, und wer mag, stellt eine
                    neugierige Frage dazu. Auslassen ist in Ordnung.
                """),
                "facilitator_notes": _t("""
                    Bevor die Paare schreiben, gib selbst ein Beispiel für einen Satz ohne Schuldzuweisung:
                    „Als wir die Reise gebucht haben, habe ich still mitgemacht und mich dann den ganzen
                    Abend weit weg von dir gefühlt.“ Erinnere daran, dass die andere Person nach dem
                    Aufdecken zuhört und sich bedankt, statt sich zu verteidigen oder zu korrigieren.
                """),
                "content_note": _t("""
                    Kann frühere Erfahrungen mit Zwang berühren; erinnere alle daran, dass sie auslassen
                    oder pausieren können.
                """),
                "config": {
                    "prompt": _t("""
                        Beschreib in ein, zwei Sätzen einen Moment und wie er auf dich gewirkt hat. Fang mit
                        „Ich“ an und lass Vermutungen über die Beweggründe deines Gegenübers weg.
                    """),
                },
            },
            {
                "title": "Eine kleine Veränderung",
                "participant_text": "Wähle die Veränderung, die dir am meisten helfen würde. Klein ist gut.",
                "facilitator_notes": _t("""
                    So wird aus dem Bemerken ein erster Schritt. Lade die Paare ein, diese Woche die Wahl
                    der jeweils anderen Person auszuprobieren und beim nächsten Check-in zu erzählen, wie es
                    war.
                """),
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Welche kleine Veränderung würde dir helfen, das Gefühl zu haben, gleichberechtigt
                        mitzureden?
                    """),
                    "options": [
                        "Zuerst gefragt werden, was ich möchte",
                        "Abwechselnd entscheiden",
                        "Bedenkzeit, bevor ich antworte",
                        "Dass mein „Nein“ einfach gilt",
                        "Außerhalb des Schlafzimmers reden",
                        "Etwas anderes",
                    ],
                },
            },
        ],
    },
    # ------------------------------------------------------------- boundary map
    "boundary-map": {
        "title": "Unsere Landkarte der Grenzen",
        "summary": _t("""
            Jede Person sortiert zuerst für sich die eigenen Grenzen. Dann erstellt das Paar eine gemeinsame
            Karte: was feststeht, was sich je nach Stimmung oder Situation verschieben kann und was später
            noch einmal angeschaut wird.
        """),
        "practice": "Landkarte der Grenzen: Unverhandelbares und Verhandelbares",
        "steps": [
            {
                "title": "Wozu Grenzen da sind",
                "participant_text": _t("""
                    Eine Grenze ist weniger ein Zaun als eine Landkarte: Sie zeigt deinem Gegenüber, wo du
                    dich sicher und entspannt fühlst und frei genießen kannst. Wenn ihr eure Grenzen kennt,
                    muss niemand raten, und niemand entscheidet einfach stillschweigend für beide. Manche
                    Grenzen stehen fest, andere hängen vom Tag, von deiner Energie oder der Situation ab.
                    Beide Arten verdienen Respekt.
                """),
                "facilitator_notes": _t("""
                    Bring den Gedanken ein, dass eine Grenze ein Geschenk ist: Sie sagt dem Gegenüber, wie
                    es gut für einen sorgen kann. Nenn neutrale Beispiele aus verschiedenen Bereichen:
                    Aktivitäten, Tempo, Zeitpunkt, Privatsphäre und emotionale Sicherheit (etwa „keine
                    ernsten Gespräche nach Mitternacht“). Sag, dass die Karte dem Paar gehört und du sie
                    nicht siehst, und dass etwas Unverhandelbares keine Begründung braucht.
                """),
                "content_note": _t("""
                    Es geht um sexuelle Grenzen und Sicherheit. Manche erinnern sich vielleicht an
                    Situationen, in denen ihre Grenzen missachtet wurden; erinnere alle daran, dass sie
                    auslassen, pausieren oder jeden Punkt für sich behalten können.
                """),
            },
            {
                "title": "Erst die eigenen Grenzen sortieren",
                "participant_text": _t("""
                    Notier dir deine eigenen Antworten, bevor ihr die gemeinsame Karte erstellt. Diese Seite
                    gehört nur dir. Du entscheidest, was auf die Karte kommt und was hier bleibt.
                """),
                "facilitator_notes": "Stille Zeit. Manche schreiben nichts und denken nur nach; das ist in Ordnung.",
                "content_note": "",
                "config": {
                    "prompts": [
                        "Was ist für dich ein klares Nein, egal in welcher Stimmung oder Situation?",
                        "Was hängt davon ab, wie du dich fühlst, wann es ist oder wo du bist?",
                        "Gibt es etwas, bei dem du unsicher bist und das du lieber auf einen anderen Tag verschiebst?",
                    ]
                },
            },
            {
                "title": "Die gemeinsame Karte erstellen",
                "participant_text": _t("""
                    Tragt abwechselnd Punkte ein. Was eine Person von euch unverhandelbar nennt, kommt ohne
                    Diskussion direkt auf die Karte. Schreibt bei verhandelbaren Punkten dazu, was sie eher
                    leichter oder schwerer macht. Ihr könnt alles auslassen und müsst nie sagen, warum.
                """),
                "facilitator_notes": _t("""
                    Setz dich nur zu einem Paar, wenn es dich dazuholt. Achte darauf, ob eine Person alles
                    aufschreibt, und schlag vor, sich abzuwechseln. Streitet ein Paar darüber, ob etwas als
                    unverhandelbar gelten soll, erinnere daran: Eine Grenze wird respektiert, nicht
                    verhandelt. Kündige fünf Minuten vorher an, dass die Zeit bald um ist.
                """),
                "content_note": "",
                "config": {
                    "sections": [
                        {
                            "label": "Nicht verhandelbar",
                            "hint": _t("""
                                Grenzen, die in jedem Fall gelten: Aktivitäten, Tempo, emotionale Sicherheit.
                                Ohne Begründung.
                            """),
                        },
                        {
                            "label": "Verhandelbar",
                            "hint": _t("""
                                Was sich mit Stimmung, Energie oder Situation verschieben kann. Notiert, was
                                ein Ja wahrscheinlicher oder unwahrscheinlicher macht.
                            """),
                        },
                        {
                            "label": "Später neu anschauen",
                            "hint": _t("""
                                Alles, was ihr noch einmal anschauen wollt, und ungefähr wann: nach einer
                                großen Veränderung, nach einer stressigen Zeit oder in ein paar Monaten.
                            """),
                        },
                    ]
                },
            },
            {
                "title": "Wie klar ist es jetzt?",
                "participant_text": "Antworte für dich. Ihr seht die Zahlen gemeinsam.",
                "facilitator_notes": _t("""
                    Eine niedrige Zahl ist kein Scheitern: Sie zeigt, wo das Paar beim nächsten Check-in
                    weitermachen kann. Schlag vor, bei allem unter „Später neu anschauen“ ein Datum zu
                    notieren.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Wie klar sind dir die Grenzen deines Gegenübers jetzt?",
                    "scale": {"min_label": "Noch unklar", "max_label": "Sehr klar"},
                },
            },
        ],
    },
    # --------------------------------------------------------- goals to actions
    "goals-to-actions": {
        "title": "Von gemeinsamen Zielen zu kleinen Schritten",
        "summary": _t("""
            Beide sagen, wovon sie sich mehr wünschen, suchen nach Überschneidungen und machen aus diesen
            gemeinsamen Zielen kleine, konkrete Schritte, fair auf beide verteilt.
        """),
        "practice": "Gemeinsame Ziele in Schritte übersetzen",
        "steps": [
            {
                "title": "Gleich viel mitreden",
                "participant_text": _t("""
                    Fairness beim Entscheiden misst sich nicht in Redeminuten. Es kommt darauf an, dass
                    nicht stillschweigend eine eurer Sichtweisen als selbstverständlich gilt. Ein guter Anfang:
                    herausfinden, was ihr beide wollt, und daraus Schritte machen, die klein genug sind,
                    um sie wirklich zu gehen.
                """),
                "facilitator_notes": _t("""
                    Nenn Beispiele für gemeinsame Ziele, bei denen es nicht um Leistung geht: sich näher
                    fühlen, leichter miteinander reden, mehr Verspieltheit, mehr Ruhe. Bitte die Paare,
                    zuerst nach Gemeinsamkeiten zu suchen und erst danach nach Unterschieden.
                """),
                "content_note": "",
            },
            {
                "title": "Wovon wünschst du dir mehr?",
                "participant_text": _t("""
                    Schreib einen Wunsch auf. Ihr seht eure Antworten gleichzeitig. Du kannst auslassen.
                """),
                "facilitator_notes": _t("""
                    Liegen die Antworten weit auseinander, schlag vor, nach dem Gefühl hinter jedem Wunsch
                    zu suchen.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Wovon hättest du in eurem gemeinsamen Liebesleben gern mehr? Nenn eine Sache.",
                },
            },
            {
                "title": "Aus Zielen werden Schritte",
                "participant_text": _t("""
                    Beginnt mit dem, was ihr beide wollt, und wählt dann Schritte, die klein genug für die
                    nächsten zwei Wochen sind. Achtet darauf, dass ihr beide mindestens einen Schritt
                    vorschlagt.
                """),
                "facilitator_notes": _t("""
                    Hilf, vage Ziele konkret zu machen: Aus „zärtlicher sein“ könnte „eine lange Umarmung,
                    wenn wir beide nach Hause kommen“ werden. Achte darauf, dass die Schritte fair verteilt
                    sind und beide etwas vorgeschlagen haben.
                """),
                "content_note": "",
                "config": {
                    "sections": [
                        {
                            "label": "Unsere gemeinsamen Ziele",
                            "hint": "Wo sich eure Wünsche treffen: mehr Nähe, leichtere Gespräche, mehr Spiel …",
                        },
                        {
                            "label": "Kleine Schritte",
                            "hint": "Konkret und in zwei Wochen machbar. Wer macht was, und wann?",
                        },
                        {
                            "label": "Woran wir merken, dass es wirkt",
                            "hint": _t("""
                                Etwas, das ihr beide bemerken würdet, und sei es noch so klein. Feiert es,
                                wenn es passiert.
                            """),
                        },
                    ]
                },
            },
        ],
    },
    # ----------------------------------------------------- structured disagreement
    "structured-disagreement": {
        "title": "Eine Meinungsverschiedenheit mit Struktur",
        "summary": _t("""
            Ein Gespräch mit festen Redezeiten über eine kleine Meinungsverschiedenheit: Beide fassen
            abwechselnd die Sicht der anderen Person zusammen, sagen ihre eigene, suchen gemeinsam nach
            Möglichkeiten und einigen sich auf etwas, das sie ausprobieren.
        """),
        "practice": "Die strukturierte Meinungsverschiedenheit",
        "steps": [
            {
                "title": "So funktionieren die Runden",
                "participant_text": _t("""
                    Ihr sprecht und hört abwechselnd zu, und jede Phase hat einen Timer. Wer spricht, fasst
                    zuerst zusammen, was die andere Person möchte, und sagt danach, was der eigene Wunsch
                    ist. Gemeinsam sucht ihr nach Möglichkeiten, die für euch beide passen könnten, und
                    einigt euch auf eine kleine Sache zum Ausprobieren. Dann tauscht ihr die Rollen. Nehmt
                    für die Übung ein kleines Thema, nicht euer größtes.
                """),
                "facilitator_notes": _t("""
                    Geh die vier Phasen durch. Spiel eine Runde kurz vor, mit einer zweiten Person aus dem
                    Moderationsteam oder an einem Alltagsbeispiel, etwa wie man einen freien Sonntag
                    verbringt. Schlag ein Thema vor, das sich wie eine Drei von zehn anfühlt, nicht wie
                    eine Neun. Ziel ist, dass sich beide gehört fühlen, nicht, dass jemand gewinnt.
                    Erinnere die Paare an ihr Pausenzeichen.
                """),
                "content_note": _t("""
                    Manche Paare wählen vielleicht ein Thema, das sich als schwerer herausstellt als
                    gedacht. Ermutige zu kleinen Themen und erinnere alle daran, dass sie pausieren oder
                    aufhören können.
                """),
            },
            {
                "title": "Wo ihr beide steht",
                "participant_text": _t("""
                    Einigt euch zuerst auf ein kleines Thema. Dann schreibt ihr beide eure Sicht auf. Ihr
                    seht beide Antworten gleichzeitig; so hat jede Person im nächsten Schritt etwas, das
                    sie zusammenfassen kann.
                """),
                "facilitator_notes": "Prüf, ob die Paare ein Thema gewählt haben, bevor sie schreiben.",
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Nenn das Thema und sag in ein, zwei Sätzen, was du dir wünschst und warum es dir
                        wichtig ist.
                    """),
                },
            },
            {
                "title": "Abwechselnd sprechen",
                "participant_text": _t("""
                    Folgt dem Timer auf eurem Handy. Wenn eine Runde endet, tauscht ihr die Rollen. Ihr
                    könnt beide jederzeit euer Pausenzeichen nutzen.
                """),
                "facilitator_notes": _t("""
                    Sag die Phasenwechsel an, wenn die Gruppe Hilfe mit der Zeit braucht. Hör darauf, ob
                    sich in der Phase „Eigene Sicht sagen“ Gegenargumente einschleichen, und erinnere
                    freundlich daran, dass die zuhörende Person dort nur zuhört. Bei „Einen Versuch
                    vereinbaren“ reicht ein kleiner Versuch; nichts muss für immer geklärt sein.
                """),
                "content_note": "",
                "config": {
                    "topic_prompt": _t("""
                        Das Thema, das ihr gemeinsam gewählt habt. Klein genug, um es in einem Gespräch zu klären.
                    """),
                    "phases": [
                        {
                            "label": "Andere Sicht zusammenfassen",
                            "instructions": _t("""
                                Wer spricht: Gib die Sicht deines Gegenübers mit eigenen Worten wieder, so fair
                                du kannst. Wer zuhört: Bestätige sie oder korrigiere freundlich, bis es stimmt.
                            """),
                        },
                        {
                            "label": "Eigene Sicht sagen",
                            "instructions": _t("""
                                Wer spricht: Sag, was du dir wünschst und wie es dir geht, und fang mit „Ich“
                                an. Wer zuhört: Hör nur zu; du kommst auch noch dran.
                            """),
                        },
                        {
                            "label": "Möglichkeiten suchen",
                            "instructions": _t("""
                                Gemeinsam: Legt mindestens zwei mögliche Kompromisse auf den Tisch. Keine Idee
                                fällt weg, bevor ihr beide etwas dazu sagen konntet.
                            """),
                        },
                        {
                            "label": "Einen Versuch vereinbaren",
                            "instructions": _t("""
                                Gemeinsam: Wählt eine Möglichkeit, die ihr für eine bestimmte Zeit ausprobiert,
                                und sprecht sie in einem Satz laut aus.
                            """),
                        },
                    ],
                },
            },
            {
                "title": "Wie sehr hast du dich gehört gefühlt?",
                "participant_text": "Antworte für dich; ihr seht die Zahlen gemeinsam.",
                "facilitator_notes": _t("""
                    Lade die Paare ein, einander eine Sache zu nennen, die die andere Person getan hat und
                    durch die sie sich gehört gefühlt haben. Ein kleiner Erfolg, der gefeiert werden darf.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Wie sehr hast du dich in diesem Gespräch gehört gefühlt?",
                    "scale": {"min_label": "Nicht gehört", "max_label": "Voll und ganz gehört"},
                },
            },
        ],
    },
    # ------------------------------------------------------------- trial period
    "trial-period": {
        "title": "Erst mal ausprobieren: eine Probezeit",
        "summary": _t("""
            Paare machen aus einer Entscheidung ein Experiment auf Zeit mit festem Termin zum Zurückschauen.
            So muss sich niemand für immer festlegen, und beide reden mit, wie es danach weitergeht.
        """),
        "practice": "Probezeit",
        "steps": [
            {
                "title": "Nicht für immer, nur für jetzt",
                "participant_text": _t("""
                    Eine Entscheidung muss nicht endgültig sein. Wenn ihr vereinbart, etwas für eine
                    bestimmte Zeit auszuprobieren, steht weniger auf dem Spiel: Ihr wisst beide, dass es
                    einen Moment gibt, um zurückzuschauen und nachzujustieren. Am Ende fragt ihr euch, was
                    gut funktioniert hat, was nicht und was ihr beibehalten wollt.
                """),
                "facilitator_notes": _t("""
                    Wenn die Paare gerade die Meinungsverschiedenheit mit Struktur hinter sich haben, können
                    sie nehmen, was sie dort vereinbart haben. Sonst schlag etwas Kleines aus ihren Zielen
                    oder ihrem Check-in vor. Mach deutlich, dass beide eine Probezeit vorzeitig beenden
                    dürfen und dass das eine wertvolle Information ist, kein Verrat.
                """),
                "content_note": "",
            },
            {
                "title": "Wie lange fühlt sich richtig an?",
                "participant_text": "Wähle, was sich für dich fair anfühlt. Ihr seht beide Antworten gemeinsam.",
                "facilitator_notes": _t("""
                    Unterscheiden sich die Antworten, schlag vor, mit dem kürzeren Zeitraum anzufangen.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Wie lange möchtest du das Vereinbarte ausprobieren?",
                    "options": ["Eine Woche", "Zwei Wochen", "Einen Monat", "Bis zum nächsten Check-in"],
                },
            },
            {
                "title": "Die Probezeit vereinbaren",
                "participant_text": _t("""
                    Schreibt auf, was ihr ausprobiert, wie lange und wie ihr gemeinsam darauf zurückschaut.
                    Tragt das Enddatum ein, das ihr gewählt habt.
                """),
                "facilitator_notes": _t("""
                    Prüf, ob jede Probezeit ein Enddatum und einen Termin zum Zurückschauen hat. Schlag vor,
                    den Rückblick in einen regulären Check-in zu legen, damit es dafür keine eigene
                    Verabredung braucht.
                """),
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Was probiert ihr aus, bis wann, und wie schaut ihr gemeinsam darauf zurück? Schreibt
                        auch dazu, was ihr beide tun könnt, wenn es schon vor dem Ende nicht passt.
                    """),
                    "suggestions": [
                        "Wir schauen beim nächsten Check-in darauf",
                        "Wir dürfen beide vorzeitig aufhören und reden ohne Vorwürfe darüber",
                        "Beim Rückblick nennen wir beide eine Sache, die gut lief",
                        "Wir halten in einer kurzen gemeinsamen Notiz fest, was uns auffällt",
                    ],
                },
            },
            {
                "title": "Ein Zeichen, dass es gut läuft",
                "participant_text": _t("""
                    Schreib ein kleines Zeichen auf, an dem du es merken würdest. Ihr seht eure Antworten
                    gleichzeitig.
                """),
                "facilitator_notes": _t("""
                    Ermutige die Paare, es laut zu sagen, wenn sie das Zeichen der anderen Person
                    entdecken.
                """),
                "content_note": "",
                "config": {"prompt": "Woran würdest du im Kleinen merken, dass diese Probezeit gut läuft?"},
            },
        ],
    },
    # -------------------------------------------------------- consent check-in
    "consent-check-in": {
        "title": "Einverständnis als fortlaufendes Gespräch",
        "summary": _t("""
            Paare verstehen Einverständnis als etwas, das sich von Tag zu Tag ändern kann, üben offene
            Fragen zum Nachfragen und sagen einander, was es leicht macht, eine Pause oder ein „Nein“
            auszusprechen.
        """),
        "practice": "Einverständnis als fortlaufender Check-in",
        "steps": [
            {
                "title": "Eine Entscheidung, die immer wieder neu fällt",
                "participant_text": _t("""
                    Einverständnis ist kein Häkchen, das man einmal setzt. Jede Person gibt es von Moment zu
                    Moment neu und kann es auch wieder zurücknehmen. Eure Wünsche können sich von einem Abend
                    zum nächsten ändern; das gehört zum Menschsein und ist kein Problem, das gelöst werden
                    muss. Wenn „jetzt nicht“ leicht zu sagen ist, bedeutet ein „Ja“ umso mehr.
                """),
                "facilitator_notes": _t("""
                    Mach klar: Ein Ja von letzter Woche sagt nichts über heute Abend; fragen statt
                    voraussetzen. Biete ein paar offene Fragen in deinen eigenen Worten an, zum Beispiel:
                    „Was würde dir heute Abend gefallen?“, „Gibt es etwas, das sich wie ein Vertrauensbruch
                    anfühlen würde?“, „Welche Grenzen bleiben, wo sie sind?“ Betone, dass eine Pause oder
                    ein Nein angenommen wird, ohne Schmollen, Überreden oder Fragen nach Gründen.
                """),
                "content_note": _t("""
                    Es geht um Einverständnis und ums Ablehnen. Manche haben vielleicht Druck oder Zwang
                    erlebt; erinnere alle daran, dass sie auslassen oder pausieren können, und sag, wo es
                    Unterstützung gibt.
                """),
            },
            {
                "title": "Was macht ein Nein leicht?",
                "participant_text": "Das ist privat. Niemand sonst sieht es, auch nicht dein Gegenüber.",
                "facilitator_notes": _t("""
                    Stille Zeit. Erinnere daran, dass man auch einfach nachdenken kann, statt zu schreiben.
                """),
                "content_note": _t("""
                    Kann frühere Erfahrungen mit Zwang berühren; erinnere alle daran, dass sie auslassen
                    oder pausieren können.
                """),
                "config": {
                    "prompts": [
                        "Wann fällt es dir leicht, „jetzt nicht“ zu sagen, und wann fällt es dir schwer?",
                        _t("""
                            Was tut die andere Person, oder was könnte sie tun, damit sich ein „Nein“ für dich
                            sicher anfühlt?
                        """),
                        _t("""
                            Wie zeigst du meistens, dass du Lust auf etwas hast, und wie könnte das deinem
                            Gegenüber entgehen?
                        """),
                    ]
                },
            },
            {
                "title": "Wie fragst du am liebsten nach?",
                "participant_text": _t("""
                    Wähle, was sich für dich am natürlichsten anfühlt. Ihr seht beide Antworten gemeinsam.
                """),
                "facilitator_notes": _t("""
                    Mach deutlich, dass es keine richtige Antwort gibt; viele Paare mischen mehrere Wege.
                    Wichtig ist, dass beide wissen, was die andere Person bevorzugt.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Welche Art, beieinander nachzufragen, fühlt sich für dich am natürlichsten an?",
                    "options": [
                        "Eine leise Frage im Moment",
                        "Ein vereinbartes Wort oder Zeichen",
                        "Innehalten und Blickkontakt",
                        "Vorher darüber reden",
                        "Hinterher darüber reden",
                        "Eine Mischung, je nach Tag",
                    ],
                },
            },
            {
                "title": "Wenn ich innehalte",
                "participant_text": _t("""
                    Vervollständige den Satz für dein Gegenüber. Ihr seht eure Antworten gemeinsam. Lest sie
                    und bedankt euch beieinander; hier gibt es nichts zu diskutieren. Du kannst auslassen.
                """),
                "facilitator_notes": _t("""
                    Schlag nach dem Aufdecken vor, dass beide die Antwort der anderen Person in eigenen
                    Worten wiederholen. Das bestätigt, dass sie angekommen ist, und hilft, sie sich zu
                    merken.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Vervollständige den Satz: „Wenn ich innehalte oder Nein sage, hilft mir am meisten …“",
                },
            },
        ],
    },
    # ----------------------------------------------------------- emotion labeling
    "emotion-labeling": {
        "title": "Benennen, atmen, zurückkommen",
        "summary": _t("""
            Beide üben eine kurze Schleife für hitzige Momente: dem Gefühl ein Wort geben, einmal
            durchatmen und sich dann mit einer Frage wieder der anderen Person zuwenden.
        """),
        "practice": "Gefühle benennen",
        "steps": [
            {
                "title": "Eine kleine Schleife für große Gefühle",
                "participant_text": _t("""
                    Wenn dich etwas aufwühlt, hilft es, das Gefühl in ein, zwei Worten zu benennen: Das
                    nimmt ihm schon etwas von seiner Wucht. Dann atmest du einmal durch und richtest deine
                    Aufmerksamkeit wieder auf dein Gegenüber: Wie ist das wohl gerade für die andere
                    Person? Diese Schleife übt ihr an etwas Kleinem.
                """),
                "facilitator_notes": _t("""
                    Mach die Schleife laut vor: „Ich merke, dass ich mich verteidigen will.“ Atmen. „Erzähl
                    mir mehr davon, wie das für dich war.“ Erwähne, dass alte Verletzungen und Gewohnheiten
                    prägen, was uns aus der Fassung bringt, und dass es zur Fürsorge füreinander gehört,
                    die eigenen Muster zu kennen.
                """),
                "content_note": "",
            },
            {
                "title": "Deine eigenen Muster",
                "participant_text": _t("""
                    Nur für dich. Halte es leicht; du musst keine Einzelheiten aufschreiben, die du lieber
                    für dich behältst.
                """),
                "facilitator_notes": "Stille Zeit. Erinnere alle, die aufgewühlt wirken, an das Pausenzeichen.",
                "content_note": _t("""
                    Fragt nach Auslösern und früheren Verletzungen. Es bleibt privat und leicht; niemand muss
                    Einzelheiten noch einmal durchgehen.
                """),
                "config": {
                    "prompts": [
                        "Bei welchen Themen oder in welchen Momenten reagierst du oft heftig?",
                        "Wo hast du vielleicht gelernt, so zu reagieren? Einzelheiten sind nicht nötig.",
                        "Was bemerkst du in deinem Körper, kurz bevor du reagierst?",
                    ]
                },
            },
            {
                "title": "Was kommt zuerst?",
                "participant_text": "Wähle das Wort, das am besten passt. Ihr seht die Antworten gemeinsam.",
                "facilitator_notes": _t("""
                    Wer weiß, welches Gefühl beim Gegenüber zuerst kommt, kann es wohlwollender deuten:
                    „Verschlossen“ sieht oft nach Gleichgültigkeit aus, ist aber in Wahrheit Überforderung.
                """),
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Wenn ein Gespräch über Intimität schwierig wird: Welches Gefühl kommt bei dir
                        meistens zuerst?
                    """),
                    "options": [
                        "Ängstlich",
                        "Verlegen",
                        "Frustriert",
                        "Traurig",
                        "Wie betäubt oder verschlossen",
                        "In der Defensive",
                        "Etwas anderes",
                    ],
                },
            },
            {
                "title": "Die Schleife üben",
                "participant_text": _t("""
                    Nehmt einen kleinen Moment aus dieser Woche, nichts Schweres. Folgt dem Timer und
                    tauscht dann die Rollen.
                """),
                "facilitator_notes": _t("""
                    Achte auf Zuhörende, die gleich mit Ratschlägen oder Beruhigung kommen; die Aufgabe ist
                    eine offene Frage und dann zuhören.
                """),
                "content_note": "",
                "config": {
                    "topic_prompt": _t("""
                        Ein kleiner Moment aus dieser Woche, der ein Gefühl in dir ausgelöst hat. Nichts Schweres.
                    """),
                    "phases": [
                        {
                            "label": "Benennen",
                            "instructions": _t("""
                                Wer spricht: Beschreib den Moment in einem Satz und benenne dann das Gefühl in
                                ein, zwei Worten. Atmet gemeinsam einmal langsam durch.
                            """),
                        },
                        {
                            "label": "Neugierig nachfragen",
                            "instructions": _t("""
                                Wer zuhört: Stell eine offene Frage dazu, wie es deinem Gegenüber ergangen ist,
                                und hör dann einfach zu. Wer spricht: Antworte so ausführlich oder so knapp,
                                wie du magst.
                            """),
                        },
                    ],
                },
            },
        ],
    },
    # ------------------------------------------------------ curiosity experiment
    "curiosity-experiment": {
        "title": "Ein Neugier-Experiment mit Ausstiegsplan",
        "summary": _t("""
            Paare gehen Neues als gemeinsames Experiment an: Ideen von beiden, ausdrückliches
            Einverständnis, ein vorher vereinbarter Ausstiegsplan und hinterher Notizen dazu, was gut war
            und was sie überrascht hat.
        """),
        "practice": "Neugier-Experimente mit Ausstiegsplan",
        "steps": [
            {
                "title": "Ein gemeinsames Experiment",
                "participant_text": _t("""
                    Neues gelingt am besten, wenn ihr es wie ein kleines Forschungsteam angeht, das niemandem
                    etwas beweisen muss. Ihr bringt beide Ideen ein, ihr stimmt beide zu, und ihr wisst
                    beide genau, wie ihr aufhören könnt. Hinterher tauscht ihr euch neugierig aus, ohne
                    Noten zu verteilen.
                """),
                "facilitator_notes": _t("""
                    Sag, dass „neu“ auch klein sein kann: eine andere Tageszeit, eine neue Art zu fragen,
                    eine Massage ganz ohne Erwartungen. Ideen kommen von beiden, und beide können eine Idee
                    ohne Begründung ablehnen. Der Ausstiegsplan wird vorher vereinbart, nicht mittendrin
                    improvisiert.
                """),
                "content_note": _t("""
                    Es geht um sexuelle Vorlieben und Neues. Erinnere alle daran, dass „gerade nicht“ eine
                    vollständige Antwort ist und dass niemand eine Idee teilen muss.
                """),
            },
            {
                "title": "Wie offen fühlst du dich?",
                "participant_text": _t("""
                    Jede Antwort ist in Ordnung. Wenn jemand von euch das untere Ende wählt, nutzt das
                    Arbeitsblatt, um festzuhalten, was genau so bleiben soll, wie es ist.
                """),
                "facilitator_notes": _t("""
                    Sag ausdrücklich, dass die niedrigere Antwort das Tempo bestimmt. Ein Paar, in dem eine
                    Person „gerade nicht“ sagt, hat die Übung gut gemacht, wenn diese Antwort respektiert
                    wurde.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Wie offen bist du dafür, in den nächsten Wochen gemeinsam etwas Neues auszuprobieren?",
                    "scale": {"min_label": "Gerade nicht", "max_label": "Sehr offen"},
                },
            },
            {
                "title": "Deine persönliche Liste",
                "participant_text": _t("""
                    Das siehst nur du. Du entscheidest, ob und was du davon deinem Gegenüber erzählst.
                """),
                "facilitator_notes": "Stille Zeit.",
                "content_note": "",
                "config": {
                    "prompts": [
                        "Was würdest du gern ausprobieren oder anders machen? Denk an Kleines wie an Mutiges.",
                        "Was davon könntest du heute gut ansprechen?",
                    ]
                },
            },
            {
                "title": "Das Experiment planen",
                "participant_text": _t("""
                    Auf diese Seite kommen nur Ideen, zu denen ihr beide Ja sagt. Ihr könnt beide jederzeit
                    eine Idee wieder streichen, ohne Begründung. Vereinbart vor allem anderen den
                    Ausstiegsplan.
                """),
                "facilitator_notes": _t("""
                    Prüf, ob jedes Paar den Ausstiegsplan ausgefüllt hat, auch wenn es noch keine Ideen
                    hat. Schlag vor, die Notizen unter „Was uns hinterher aufgefallen ist“ kurz zu halten,
                    damit das Schreiben nie zur Pflicht wird.
                """),
                "content_note": "",
                "config": {
                    "sections": [
                        {
                            "label": "Unser Ausstiegsplan",
                            "hint": "Wie ihr beide im Moment aufhören oder umsteuern könnt und was danach passiert.",
                        },
                        {
                            "label": "Ideen, auf die wir beide neugierig sind",
                            "hint": "Nur Ideen, zu denen ihr beide Ja gesagt habt. Auch kleine zählen.",
                        },
                        {
                            "label": "Was uns hinterher aufgefallen ist",
                            "hint": _t("""
                                Was gut war, was nicht, was euch überrascht hat. Ein paar Worte von beiden reichen.
                            """),
                        },
                    ]
                },
            },
        ],
    },
    # ------------------------------------------------------ demands to invitations
    "invitations-not-demands": {
        "title": "Einladen statt fordern",
        "summary": _t("""
            Beide verwandeln einen Satz, der leicht als Druck ankommt, in eine Einladung, teilen ihn und
            üben, erst wiederzugeben, was sie gehört haben, bevor sie ihre eigenen Gefühle dazu sagen.
        """),
        "practice": "Forderungen als Einladungen formulieren",
        "steps": [
            {
                "title": "Derselbe Wunsch, andere Worte",
                "participant_text": _t("""
                    Derselbe Wunsch kann als Druck ankommen oder als Einladung. Eine Forderung sagt der
                    anderen Person, was sie falsch macht; eine Einladung sagt, wie es dir geht, und schlägt
                    vor, gemeinsam zu entscheiden. Aus „Du planst nie etwas für uns“ könnte zum Beispiel
                    werden: „Ich fühle mich in letzter Zeit bei unseren Plänen außen vor. Wollen wir
                    zusammen etwas fürs nächste Wochenende aussuchen?“
                """),
                "facilitator_notes": _t("""
                    Zerleg das Beispiel in seine Teile: ein Gefühl, eine konkrete Bitte und Raum für eine
                    freie Antwort. Erwähne, dass auch Schweigen wie eine Forderung wirken kann und dass es
                    zum Teilen von Macht gehört, Wünsche behutsam auszusprechen.
                """),
                "content_note": "",
            },
            {
                "title": "Deinen Satz finden",
                "participant_text": "Nur für dich. Probier ein paar Fassungen aus, bis eine nach dir klingt.",
                "facilitator_notes": "Stille Zeit.",
                "content_note": "",
                "config": {
                    "prompts": [
                        "Denk an etwas, das du manchmal sagst und das als Druck oder Kritik ankommen könnte.",
                        "Formuliere es neu: Sag, wie es dir geht, bitte um etwas Konkretes und lass Raum für ein Nein.",
                    ]
                },
            },
            {
                "title": "Deine Einladung teilen",
                "participant_text": _t("""
                    Teile die Fassung, mit der du zufrieden bist. Ihr seht beide Antworten gemeinsam. Du
                    kannst auslassen.
                """),
                "facilitator_notes": _t("""
                    Erinnere die Paare daran, dass die Einladung eine Übung ist; niemand muss heute Ja dazu
                    sagen.
                """),
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Schreib deine Einladung: ein Gefühl, eine konkrete Bitte und Raum für eine freie Antwort.
                    """),
                },
            },
            {
                "title": "Erst spiegeln, dann antworten",
                "participant_text": _t("""
                    Folgt dem Timer und tauscht dann die Rollen, damit jede Einladung an die Reihe kommt.
                """),
                "facilitator_notes": _t("""
                    Achte auf Antworten, die die Person angreifen („typisch du“). Lenk zurück zu Gefühlen
                    und dazu, wozu beide bereit wären.
                """),
                "content_note": "",
                "config": {
                    "topic_prompt": "Die Einladung deines Gegenübers aus dem vorigen Schritt.",
                    "phases": [
                        {
                            "label": "Spiegeln",
                            "instructions": _t("""
                                Wer spricht: Gib wieder, was du aus der Einladung deines Gegenübers gehört hast,
                                auch das Gefühl darin. Wer zuhört: Bestätige oder korrigiere freundlich.
                            """),
                        },
                        {
                            "label": "Antworten",
                            "instructions": _t("""
                                Wer spricht: Sag, was du selbst dabei fühlst, und ehrlich, wozu du bereit wärst.
                                Wer zuhört: Hör einfach zu.
                            """),
                        },
                    ],
                },
            },
        ],
    },
    # ------------------------------------------------------ conflict pre-agreement
    "conflict-pre-agreement": {
        "title": "Unser Plan für schwierige Momente",
        "summary": _t("""
            In einem ruhigen Moment vereinbaren Paare, wie sie mit Konflikten um Sex und Nähe umgehen: wie
            sie eine Auszeit nehmen, wie sie mit der Versöhnung beginnen und wann sie noch einmal darüber
            sprechen, wie es bei beiden angekommen ist.
        """),
        "practice": "Vorab-Vereinbarung für Konflikte",
        "steps": [
            {
                "title": "Entscheiden, solange ihr ruhig seid",
                "participant_text": _t("""
                    Meinungsverschiedenheiten über Sex und Nähe wird es geben. Wenn ihr jetzt, in Ruhe,
                    festlegt, wie ihr damit umgeht, wird daraus viel seltener ein Kräftemessen. Euer Plan
                    hat drei Teile: wie ihr eine Auszeit nehmt, wie ihr anfangt, euch zu versöhnen, und
                    wann ihr noch einmal darüber sprecht, wie es angekommen ist.
                """),
                "facilitator_notes": _t("""
                    Stell einen Konflikt als Gelegenheit dar, etwas übereinander zu lernen, nicht als
                    Wettkampf, den jemand gewinnt. Erklär, dass Versöhnungsversuche am besten wirken, wenn
                    sie kurz und vertraut sind; deshalb hilft es, sie vorher auszusuchen.
                """),
                "content_note": "",
            },
            {
                "title": "Was brauchst du zuerst?",
                "participant_text": "Wähle, was für dich am ehesten stimmt. Ihr seht die Antworten gemeinsam.",
                "facilitator_notes": _t("""
                    Oft brauchen beide Gegensätzliches: Eine Person möchte Abstand, die andere Nähe. Sag,
                    dass das häufig so ist, und lass den Plan beidem gerecht werden.
                """),
                "content_note": "",
                "config": {
                    "prompt": "Wenn eine Meinungsverschiedenheit hitzig wird: Was brauchst du dann als Erstes?",
                    "options": [
                        "Ein paar Minuten für mich",
                        "Einen kurzen Spaziergang",
                        "Nah bleiben, aber schweigen",
                        "Weiterreden, nur langsamer",
                        "Eine Nacht darüber schlafen",
                        "Ich weiß es nicht",
                    ],
                },
            },
            {
                "title": "Deine Worte zur Versöhnung",
                "participant_text": "Nur für dich. Was du davon in den Plan übernehmen willst, bringst du gleich ein.",
                "facilitator_notes": "Stille Zeit.",
                "content_note": "",
                "config": {
                    "prompts": [
                        _t("""
                            Was könntest du nach einem schwierigen Moment sagen, um die Versöhnung zu
                            beginnen, und es auch wirklich so meinen?
                        """),
                        "Was macht es dir leichter, einen Versöhnungsversuch deines Gegenübers anzunehmen?",
                    ]
                },
            },
            {
                "title": "Euren Konfliktplan schreiben",
                "participant_text": _t("""
                    Schreibt euren Plan in drei Teilen: Auszeit, Versöhnung und Nachgespräch. Haltet ihn so
                    kurz, dass ihr ihn mitten in einem Streit noch wisst.
                """),
                "facilitator_notes": _t("""
                    Prüf, ob jeder Plan alle drei Teile enthält und ob das Nachgespräch einen ungefähren
                    Zeitrahmen hat. Schlag vor, im Nachgespräch „Wie ist das bei dir angekommen?“ zu fragen
                    statt „Wer hatte recht?“.
                """),
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Auszeit: wie jede Person von euch eine nehmen kann und wie lange sie dauert.
                        Versöhnung: ein Satz oder eine Geste, mit der ihr beide wieder aufeinander zugeht.
                        Nachgespräch: wann ihr noch einmal darüber sprecht, wie es euch beiden damit ging.
                    """),
                    "suggestions": [
                        "Wer eine Auszeit nimmt, sagt, wann es weitergeht",
                        "Eine Auszeit dauert zwischen 20 Minuten und einer Stunde",
                        "Keine großen Entscheidungen während einer Auszeit",
                        "„Ich will, dass es uns gut geht. Versuchen wir es noch mal?“",
                        "„Das ist mir misslungen, und es tut mir leid, wie es bei dir ankam.“",
                        "Eine offene Hand hinhalten, um wieder aufeinander zuzugehen",
                        "Ein Nachgespräch innerhalb von zwei Tagen an einem ruhigen Ort, etwa beim Spazierengehen",
                        "Im Nachgespräch sagen beide, was sie gebraucht haben und was geholfen hat",
                    ],
                },
            },
        ],
    },
    # ----------------------------------------------------------- rituals
    "co-created-ritual": {
        "title": "Ein Ritual, das uns gehört",
        "summary": _t("""
            Paare gestalten gemeinsam ein kleines, wiederkehrendes Ritual, etwa einen monatlichen Check-in,
            eine gemeinsame Wunschliste oder ein Zeichen für Zeit ohne Eile, damit Fairness und Wärme auch
            nach dem Workshop lebendig bleiben.
        """),
        "practice": "Gemeinsam gestaltete Rituale",
        "steps": [
            {
                "title": "Klein und regelmäßig",
                "participant_text": _t("""
                    Kleine Dinge, die ihr regelmäßig tut, prägen eine Beziehung mehr als große Gesten. Ein
                    Ritual, das ihr gemeinsam gestaltet, hält Fairness und Wärme noch lange nach dem
                    heutigen Tag lebendig, weil es euch beiden gehört.
                """),
                "facilitator_notes": _t("""
                    Bring verschiedene Beispiele: einen monatlichen Check-in, eine gemeinsame Wunschliste,
                    die beide ergänzen können, ein Zeichen für „Ich hätte heute Abend gern Zeit ohne Eile“,
                    auf das man so oder so antworten darf. Betone, dass Beständigkeit und Zärtlichkeit
                    wichtiger sind als große Pläne.
                """),
                "content_note": "",
            },
            {
                "title": "Was schon gut tut",
                "participant_text": "Schreib einen Moment auf. Ihr seht eure Antworten gleichzeitig.",
                "facilitator_notes": _t("""
                    Rituale, die auf etwas aufbauen, das schon gut funktioniert, halten meist länger.
                """),
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Welcher kleine Moment gibt dir schon jetzt das Gefühl von Nähe, oder hat es früher getan?
                    """),
                },
            },
            {
                "title": "Euer Ritual gestalten",
                "participant_text": _t("""
                    Beschreibt, was ihr tut, wie oft und wer damit anfängt. Sich abzuwechseln ist ein guter
                    Weg, es fair zu halten. Haltet es so klein, dass ihr es wirklich tut.
                """),
                "facilitator_notes": _t("""
                    Prüf, ob jedes Ritual einen klaren Rhythmus hat und ob beide darin eine Rolle haben.
                    Plant ein Paar etwas Aufwendiges, frag, wie die kleinste Version davon aussähe.
                """),
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Was tut ihr, wie oft, und wer fängt damit an? Schreibt auch dazu, wie ihr euch
                        beieinander bedankt.
                    """),
                    "suggestions": [
                        "Ein monatlicher Check-in beim Frühstück",
                        "Eine gemeinsame Wunschliste, die wir beide ergänzen können",
                        "Sonntagabends sagen wir einander eine Sache, die wir schätzen",
                        "Ein Zeichen für „Ich hätte heute Abend gern Zeit für uns“; beide Antworten sind okay",
                        "Abwechselnd alle zwei Wochen einen Abend zu zweit planen",
                        "Eine Kerze auf dem Tisch heißt: ein Abend ohne Eile",
                    ],
                },
            },
        ],
    },
    # ------------------------------------------------------------- old scripts
    "old-scripts": {
        "title": "Wo wir gelernt haben, wer entscheidet",
        "summary": _t("""
            Ein behutsamer, persönlicher Blick darauf, woher die eigenen Erwartungen an Macht und Intimität
            kommen, mit Raum, sich auf ein gemeinsames Tempo zu einigen und darauf, welche Unterstützung
            helfen würde.
        """),
        "practice": "Alte Verletzungen rund um Macht heilen",
        "steps": [
            {
                "title": "Woher wir es kennen",
                "participant_text": _t("""
                    Wir alle haben früh etwas darüber gelernt, wer etwas wollen darf und wer entscheidet.
                    Manche dieser Lektionen helfen, andere haben wehgetan und wirken noch nach. Wenn du eine
                    alte Lektion erkennst, kannst du leichter fragen, ob du ihr heute noch zustimmst. Geh in
                    deinem eigenen Tempo; langsam ist in Ordnung. Du kannst alles auslassen und musst nie
                    sagen, warum.
                """),
                "facilitator_notes": _t("""
                    Das ist die sensibelste Übung der Bibliothek. Halte die Einladung leicht: Niemand
                    erzählt hier die eigene Geschichte. Sag, dass professionelle Hilfe eine gute Möglichkeit
                    ist für alle, in deren Vergangenheit es Zwang gab, und dass es Selbstfürsorge ist, sie
                    in Anspruch zu nehmen, kein Scheitern. Halte eine Liste mit Hilfsangeboten vor Ort und
                    online bereit. Achte auf alle, die still werden oder den Raum verlassen, und sprich sie
                    hinterher unter vier Augen an.
                """),
                "content_note": _t("""
                    Kann frühere Erfahrungen mit Zwang oder Missbrauch berühren. Die Reflexionen bleiben
                    privat; erinnere alle daran, dass sie auslassen oder pausieren können, und teile
                    Hilfsangebote.
                """),
            },
            {
                "title": "Persönliche Reflexion",
                "participant_text": _t("""
                    Das siehst nur du, niemals dein Gegenüber oder die Moderation. Du musst keine
                    Einzelheiten aufschreiben, die du lieber für dich behältst.
                """),
                "facilitator_notes": _t("""
                    Stille Zeit. Bleib sichtbar und ruhig; biete allen, die es brauchen, eine Pause an.
                """),
                "content_note": _t("""
                    Kann frühere Erfahrungen mit Zwang berühren; erinnere alle daran, dass sie auslassen
                    oder pausieren können.
                """),
                "config": {
                    "prompts": [
                        _t("""
                            Was hast du beim Aufwachsen oder in früheren Beziehungen darüber gelernt, wer in
                            der Intimität entscheidet?
                        """),
                        "Welche dieser Lektionen möchtest du behalten, und welche würdest du gern loslassen?",
                        _t("""
                            Prägt etwas aus der Vergangenheit noch heute, wie du reagierst? Einzelheiten sind nicht
                            nötig.
                        """),
                    ]
                },
            },
            {
                "title": "Dein Tempo",
                "participant_text": _t("""
                    Kein Tempo ist besser als ein anderes. Wer das langsamere Tempo wählt, gibt es für euch
                    beide vor; niemand muss aufholen.
                """),
                "facilitator_notes": _t("""
                    Bekräftige, dass das Tempo der langsameren Person das gemeinsame Tempo ist und dass
                    langsame Fortschritte normal sind.
                """),
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Welches Tempo fühlt sich für dich richtig an, um gemeinsam über diese Dinge zu sprechen?
                    """),
                    "scale": {"min_label": "Ganz behutsam, mit Zeit", "max_label": "Bereit für mehr Tiefe"},
                },
            },
            {
                "title": "Welche Unterstützung könnte helfen?",
                "participant_text": "Wähle, was dich am meisten anspricht. Ihr seht beide Antworten gemeinsam.",
                "facilitator_notes": "Weise die Paare auf die Liste mit Hilfsangeboten am Ende der Session hin.",
                "content_note": "",
                "config": {
                    "prompt": "Welche Art von Unterstützung könnte euch beiden helfen?",
                    "options": [
                        "Gemeinsam ein Buch lesen",
                        "Ein weiterer Workshop",
                        "Eine Paartherapie",
                        "Unterstützung nur für mich",
                        "Mit einer Vertrauensperson reden",
                        "Gerade nichts",
                    ],
                },
            },
        ],
    },
    # ------------------------------------------------------------------ break
    "breather": {
        "title": "Durchatmen",
        "summary": _t("""
            Eine kurze Pause für alle, danach eine anonyme Frage zur Energie, mit einem Fingertipp beantwortet.
        """),
        "practice": "Pause",
        "steps": [
            {
                "title": "Pause",
                "participant_text": _t("""
                    Mach eine Pause. Streck dich, trink etwas Wasser, geh kurz an die frische Luft, wenn es
                    geht. Über den Workshop musst du nur reden, wenn du magst.
                """),
                "facilitator_notes": _t("""
                    Bleib ansprechbar, aber halte dich im Hintergrund. Online: Lass den Videoraum offen; die
                    Kamera darf aus bleiben. Sag an, um wie viel Uhr es weitergeht.
                """),
                "content_note": "",
            },
            {
                "title": "Wie ist deine Energie?",
                "participant_text": "Ein Fingertipp, anonym.",
                "facilitator_notes": _t("""
                    Ist die Energie niedrig, fass dich bei deinen Erklärungen kürzer und sorg dafür, dass die
                    nächste Übung zügig vorangeht.
                """),
                "content_note": "",
                "config": {
                    "question": "Wie viel Energie hast du gerade?",
                    "scale": {"min_label": "Kaum noch", "max_label": "Jede Menge"},
                },
            },
        ],
    },
    # ---------------------------------------------------------------- closing
    "closing-appreciation": {
        "title": "Abschluss: Wertschätzung und nächste Schritte",
        "summary": _t("""
            Beide danken einander für einen Moment, in dem sie sich gehört gefühlt haben, und die Gruppe
            gibt anonymes Feedback dazu, was sie sich als Nächstes wünscht und wie hilfreich die Session war.
        """),
        "practice": "Kleine Erfolge feiern",
        "steps": [
            {
                "title": "Seht, was ihr geschafft habt",
                "participant_text": _t("""
                    Bevor ihr geht, nehmt euch einen Moment und schaut darauf, was ihr heute gemeinsam
                    getan habt. Über Macht und Intimität zu sprechen braucht Mut, und zwar von euch beiden.
                """),
                "facilitator_notes": _t("""
                    Bedank dich bei der Gruppe. Würdige den Mut, den es braucht, etwas anzusprechen, und ebenso den
                    Mut zuzuhören. Teile noch einmal die Hilfsangebote und sag, wie man dich hinterher
                    erreicht.
                """),
                "content_note": "",
            },
            {
                "title": "Eine Wertschätzung",
                "participant_text": "Schreib sie für dein Gegenüber. Ihr seht eure Antworten gleichzeitig.",
                "facilitator_notes": _t("""
                    Gib den Paaren nach dem Aufdecken eine stille Minute, um so darauf einzugehen, wie sie
                    mögen.
                """),
                "content_note": "",
                "config": {
                    "prompt": _t("""
                        Erzähl der anderen Person von einem Moment heute, in dem du dich gehört gefühlt hast,
                        oder von etwas, das du daran geschätzt hast, wie sie dabei war.
                    """),
                },
            },
            {
                "title": "Wie geht es weiter?",
                "participant_text": "Anonym. Das hilft uns zu planen, was wir als Nächstes anbieten.",
                "facilitator_notes": "Lies die Ergebnisse vor und nenn die passenden Angebote.",
                "content_note": "",
                "config": {
                    "question": "Was wünschst du dir nach dem heutigen Tag am meisten?",
                    "options": [
                        "Diese Woche ein Check-in zu Hause",
                        "Noch eine Session wie diese",
                        "Bücher oder andere Materialien",
                        "Ein Gespräch mit einer Fachperson",
                        "Weiß ich noch nicht",
                    ],
                },
            },
            {
                "title": "Wie hilfreich war der Tag?",
                "participant_text": "Anonym, ein Fingertipp. Danke, dass du dabei warst.",
                "facilitator_notes": _t("""
                    Das Ergebnis musst du im Raum nicht kommentieren; notier es dir für die Nachbesprechung.
                """),
                "content_note": "",
                "config": {
                    "question": "Wie hilfreich war der heutige Tag insgesamt für dich?",
                    "scale": {"min_label": "Nicht hilfreich", "max_label": "Sehr hilfreich"},
                },
            },
        ],
    },
}


PROGRAMS = {
    "online-90": {
        "title": "Gehört werden, sicher sprechen: ein Online-Workshop in 90 Minuten",
        "description": _t("""
            Eine konzentrierte Online-Session über die eigene Stimme und Einverständnis. Paare vereinbaren
            ein Pausenzeichen, benennen ohne Schuldzuweisung Momente, in denen der Einfluss ungleich
            verteilt war, und üben Einverständnis als fortlaufenden Check-in. Jedes Paar arbeitet in einem
            eigenen, privaten Raum; Fragen an die Gruppe sind anonym.
        """),
        "items": [
            # arrival-pulse
            {
                "facilitator_notes": _t("""
                    Gib allen zuerst Zeit, bis Bild und Ton laufen. Bitte die Paare, sich dorthin zu setzen,
                    wo niemand mithört, und andere Geräte stummzuschalten.
                """),
            },
            # pause-signal
            {
                "facilitator_notes": _t("""
                    Mach diese Übung zuerst, damit jedes Paar vor den schwierigeren Themen eine Möglichkeit
                    hat, anzuhalten. Online funktioniert eine Geste oder ein Wort besser als eine Berührung,
                    wenn die beiden an getrennten Geräten sitzen.
                """),
            },
            # naming-moments
            {"facilitator_notes": "Das emotionale Herzstück der Session. Halte deine eigenen Beiträge kurz."},
            # breather
            {"facilitator_notes": "Fang pünktlich wieder an; online sinkt die Energie schnell."},
            # consent-check-in
            {
                "facilitator_notes": _t("""
                    Knüpf an das Pausenzeichen an: Eine Pause ist Einverständnis, das im Moment neu
                    entschieden wird.
                """),
            },
            # closing-appreciation
            {
                "facilitator_notes": _t("""
                    Teile die Hilfsangebote im Chat und lass den Videoraum noch ein paar Minuten offen.
                """),
            },
        ],
    },
    "retreat-2-day": {
        "title": "Geteilte Macht, geteilte Lust: ein Retreat an zwei Tagen",
        "description": _t("""
            Ein Retreat vor Ort, das von Sicherheit und Wahrnehmen über Grenzen, Einverständnis und faire
            Entscheidungen bis zu Plänen und Ritualen führt, die die Paare mit nach Hause nehmen. Der erste
            Tag hat eine Einheit am Vormittag und eine am Nachmittag, der zweite Tag eine einzige Einheit.
        """),
        "items": [
            # Part 1: day one, morning.
            # arrival-pulse
            {
                "facilitator_notes": _t("""
                    Beginne mit dem Organisatorischen: Pausen, Toiletten und wo es eine ruhige Ecke gibt.
                """),
            },
            # check-in-ground-rules
            {"facilitator_notes": "Diese Gesprächsregeln gelten auch für den Rest des Retreats; sag das ausdrücklich."},
            # pause-signal
            {
                "facilitator_notes": _t("""
                    Die Paare dürfen ihr Zeichen während des ganzen Retreats nutzen; mach klar, dass das
                    ausdrücklich erwünscht ist.
                """),
            },
            # naming-moments
            {"facilitator_notes": "Verteil die Paare im Raum, damit sie reden können, ohne dass jemand mithört."},
            # breather
            {
                "facilitator_notes": _t("""
                    Kaffeepause. Bleib ansprechbar für alle, die dich kurz unter vier Augen sprechen möchten.
                """),
            },
            # emotion-labeling
            {"facilitator_notes": "Hilfreich direkt vor der Landkarte der Grenzen, die starke Gefühle wecken kann."},
            # boundary-map
            {
                "facilitator_notes": _t("""
                    Lass am Ende Luft für Paare, die vor dem Mittagessen noch ein paar Minuten mehr
                    brauchen.
                """),
            },
            # Part 2: day one, afternoon.
            # consent-check-in
            {
                "facilitator_notes": _t("""
                    Beginne nach dem Mittagessen sanft; lade vor der Anleitung dazu ein, sich kurz zu
                    strecken.
                """),
            },
            # invitations-not-demands
            {"facilitator_notes": "Leichter im Ton; etwas Humor hilft hier."},
            # breather
            {"facilitator_notes": "Nachmittagspause mit einem kleinen Imbiss."},
            # goals-to-actions
            {
                "facilitator_notes": _t("""
                    Die gemeinsamen Ziele geben den Paaren Stoff für die anschließende Meinungsverschiedenheit
                    mit Struktur.
                """),
            },
            # structured-disagreement
            {"facilitator_notes": "Achte streng auf die Zeit der Phasen; die Paare schätzen die Struktur."},
            # trial-period
            {
                "facilitator_notes": _t("""
                    Die Paare können aus dem, was sie in der Meinungsverschiedenheit vereinbart haben, ihre
                    Probezeit machen.
                """),
            },
            # Part 3: day two.
            # arrival-pulse
            {
                "facilitator_notes": _t("""
                    Vergleiche das Sicherheitsgefühl im Raum mit dem von gestern, laut und in allgemeinen
                    Worten.
                """),
            },
            # curiosity-experiment
            {"facilitator_notes": "Spielerisch im Ton, klar beim Ausstiegsplan."},
            # breather
            {"facilitator_notes": "Pause am Vormittag."},
            # old-scripts
            {
                "facilitator_notes": _t("""
                    Die sensibelste Übung: Sie liegt am zweiten Tag, wenn das Vertrauen gewachsen ist. Sorg
                    dafür, dass eine zweite Person aus dem Moderationsteam oder eine Begleitperson da ist.
                """),
            },
            # conflict-pre-agreement
            {
                "facilitator_notes": _t("""
                    Ein praktischer Schritt nach der tieferen Reflexion; er bringt wieder Energie in den
                    Raum.
                """),
            },
            # co-created-ritual
            {
                "facilitator_notes": _t("""
                    Schlag vor, dass die Paare ihren Check-in und den Rückblick auf die Probezeit in das
                    Ritual einbauen.
                """),
            },
            # closing-appreciation
            {"facilitator_notes": "Schließ das ganze Retreat ab; plane etwas mehr Zeit für den Abschied ein."},
        ],
    },
}
