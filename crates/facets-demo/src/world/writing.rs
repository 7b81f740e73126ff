//! What the people of the demo world write: posts by topic, a little in other languages, comments,
//! captions for photographs, and direct-message exchanges.
//!
//! Templates may hold slots: `{friend}` becomes an @mention of someone on the same server,
//! `{place}` a place name, `{n}` a small number.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Topic {
    Photography,
    Cities,
    Food,
    Outdoors,
    Tech,
    Books,
    Music,
    Art,
    Science,
    Everyday,
}

/// A post template, with its content warning when it needs one.
pub(crate) struct Line {
    pub warning: &'static str,
    pub text: &'static str,
}

const fn line(text: &'static str) -> Line {
    Line { warning: "", text }
}

const fn warned(warning: &'static str, text: &'static str) -> Line {
    Line { warning, text }
}

pub(crate) fn posts(topic: Topic) -> &'static [Line] {
    match topic {
        Topic::Photography => PHOTOGRAPHY,
        Topic::Cities => CITIES,
        Topic::Food => FOOD,
        Topic::Outdoors => OUTDOORS,
        Topic::Tech => TECH,
        Topic::Books => BOOKS,
        Topic::Music => MUSIC,
        Topic::Art => ART,
        Topic::Science => SCIENCE,
        Topic::Everyday => EVERYDAY,
    }
}

pub(crate) const PLACES: &[&str] = &[
    "the old harbour",
    "the botanical garden",
    "the ridge above town",
    "the night market",
    "the ferry terminal",
    "the flea market",
    "the river path",
    "the library steps",
    "the tram depot",
    "the lighthouse",
];

const PHOTOGRAPHY: &[Line] = &[
    line("Got up at 5:40 for the light at {place}. The light did not show up. The coffee did. #photography"),
    line("Developing my first roll of the year tonight. If it's all blank frames, I was never here. #filmphotography #35mm"),
    line("Reminder that the best camera is the one you actually take out of the bag. Mine stayed in the bag all week."),
    line("Blue hour lasts about twenty minutes here this time of year. Twenty minutes of everyone on the bridge whispering. #bluehour\n\nhttps://en.wikipedia.org/wiki/Blue_hour"),
    line("Trying the Zone System again after years. Turns out the zones were inside me all along. https://en.wikipedia.org/wiki/Zone_System"),
    line("{friend} your harbour series this week is ridiculous. The reflections in the third one! #photography"),
    line("Hot take: straighten your horizons. Cold take: I didn't straighten mine today."),
    line("Shot {n} frames at {place} and I love exactly one. That's a good ratio, right? #streetphotography"),
    line("New lens day. I will now photograph the same tree from slightly further away. #photography"),
    line("Golden hour explainer for anyone who asked after yesterday's post: https://en.wikipedia.org/wiki/Golden_hour_(photography) #goldenhour"),
    warned("eye contact, selfie", "Rare self-portrait in the hallway mirror, because the light through the door was too good to waste."),
    line("Printing small today: 10×15 cm on matte paper. Small prints make people lean in. #print #photography"),
];

const CITIES: &[Line] = &[
    line("The new tram line to {place} opened this morning and half the neighbourhood rode it just to ride it. Public transport joy. #transit #urbanism"),
    line("A city is a place where you can sit down without buying anything. Benches are infrastructure. #urbanism"),
    line("Spent the morning mapping missing bike racks near {place}. {n} added to the map so far. https://www.openstreetmap.org"),
    line("Woonerf explained, for everyone who asked why our street suddenly has planters in the middle of it: https://en.wikipedia.org/wiki/Woonerf"),
    line("Ferry delayed {n} minutes, nobody minds, the gulls are doing a show. #commute"),
    line("Counted {n} street trees on my walk to work. Last year it was fewer. Small wins. #trees #urbanism"),
    line("What makes a neighbourhood walkable for you? For me it's a bakery, a bench and a shortcut only locals know."),
    line("{friend} would love the new bus shelters here: green roofs, real-time boards, and they actually keep the rain off. #transit"),
    line("The 15-minute city debate again. Most of the people I know already live it and call it 'the neighbourhood'. https://en.wikipedia.org/wiki/15-minute_city"),
    warned("local politics", "Council voted on the harbour plan tonight. Long thread tomorrow when I've slept, but: the waterfront stays public. 🎉"),
];

const FOOD: &[Line] = &[
    line("Day {n} of feeding my sourdough starter. It has a name now. It has opinions. #sourdough #baking"),
    line("The secret to good tacos is that there is no secret, only more tacos. #tacos #streetfood"),
    line("Brewed a high mountain oolong five times from the same leaves and every cup was different. Tea is time travel. https://en.wikipedia.org/wiki/Oolong"),
    line("Maillard reaction appreciation post. Brown food is good food. https://en.wikipedia.org/wiki/Maillard_reaction"),
    line("Tried {friend}'s recipe for flatbread and it worked on the first go, which never happens in my kitchen."),
    line("Market haul: tomatoes that smell like tomatoes, a ridiculous amount of basil, and a peach I ate on the spot. #food"),
    warned("food", "Made my grandmother's dal tonight and for a moment the kitchen smelled exactly like hers. #cooking"),
    line("Croissants need three days, cold hands, and the humility to throw out the first batch. #baking"),
    line("Hot chocolate with chilli and cinnamon at {place}. Ten out of ten, would burn my tongue again."),
    line("What's the one dish you'd cook to make a friend feel at home? Mine is soup. It's always soup."),
];

const OUTDOORS: &[Line] = &[
    line("Walked the ridge trail before the forecast changed its mind. Worth every blister. #hiking #outdoors"),
    line("Aurora alert at 23:00, clouds at 23:01. The sky is a comedian. https://en.wikipedia.org/wiki/Aurora"),
    line("Snorkelled through the kelp forest this morning. It's like flying through a cathedral made of seaweed. https://en.wikipedia.org/wiki/Kelp_forest"),
    line("Packed out {n} bags of litter from the beach with the Saturday crew. Leave no trace, and then a little less than that. https://en.wikipedia.org/wiki/Leave_No_Trace"),
    line("The first properly cold morning. Breath clouds, frost on the railings, the lake steaming like a bath. #autumn"),
    line("Rowed out to {place} with {friend}. We talked about nothing for two hours and it was perfect."),
    line("Rain all day so I read maps instead of walking. Planning three hikes I will do 'next weekend'."),
    warned("heights", "Scrambled up the last section to the summit today. My knees would like a word. The view would like you to know it was worth it."),
    line("Tide tables are my love language. Low tide at 6:12, see you at the rock pools. #tidepooling"),
    line("Found {n} kinds of mushrooms on the forest loop. Photographed all, ate none. #fungi #outdoors"),
];

const TECH: &[Line] = &[
    line("Rewrote the sync loop to be idempotent and deleted 400 lines. Best kind of day. #rust #programming"),
    line("Documentation is a love letter to your future self. Today my past self wrote me a very short, rude letter."),
    line("Local-first software reading list, for the folks who asked: https://en.wikipedia.org/wiki/Local-first_software #localfirst"),
    line("The Mastodon API docs are honestly a pleasure to read. Pagination via Link headers, ids as strings, no surprises. https://docs.joinmastodon.org/api/"),
    line("Reviewed {n} pull requests today. Every single one had better variable names than mine. Humbling. #opensource"),
    line("{friend} thank you for the patch! Merged, released, and added you to the contributors list. #opensource"),
    line("The compile finished before my tea was ready. Unprecedented. #rust https://www.rust-lang.org"),
    line("Small PSA: write the error message you'd want to read at 3am. Say what failed and what to try next."),
    warned("work rant", "Spent four hours on a bug that was a trailing space in a config file. I am going to go and lie down in a field."),
    line("Self-hosting my little server again. It runs on a laptop with a broken hinge and it is the most reliable thing I own. #selfhosting"),
];

const BOOKS: &[Line] = &[
    line("Started a commonplace book this month: quotes, receipts, tram tickets, half-sentences. https://en.wikipedia.org/wiki/Commonplace_book #books"),
    line("Finished the novel at 2am and then lay there staring at the ceiling like it owed me an explanation. #reading"),
    line("My to-read pile has become load-bearing. There's a word for it: https://en.wikipedia.org/wiki/Tsundoku"),
    line("Today's sentence I can't stop thinking about: 'The light was the kind you only notice when it leaves.' Still looking for where I read it."),
    line("Bookshop recommendation from {friend} was perfect, as always. I came in for one book and left with {n}."),
    warned("spoilers: book club novel", "The twist in chapter twelve: I did not see it coming, and now the whole first half reads differently. Who else is at the book club on Thursday?"),
    line("Public domain treasure hunt this weekend: https://www.gutenberg.org #books #publicdomain"),
    line("Writing every morning before email. {n} days in a row now. The words are bad but they exist. #amwriting"),
    line("Reading in the park until the light goes. Best reading lamp there is. #reading"),
];

const MUSIC: &[Line] = &[
    line("Learned a new bossa nova progression and played it {n} times in a row. My neighbours now also know it. https://en.wikipedia.org/wiki/Bossa_nova"),
    line("Modal jazz at the little bar near {place} tonight. The pianist played like she was telling us a secret. https://en.wikipedia.org/wiki/Modal_jazz"),
    line("Music I'm writing to this week: rain, a vinyl crackle, and the same album on repeat. #music"),
    line("{friend} come to the session on Friday, we need someone who can keep time better than our drummer."),
    line("Restrung the old guitar. It sounds like a new instrument and also like a very old friend. #music"),
    warned("loud", "Front row at the festival last night. My ears are still ringing in B flat. #livemusic"),
    line("What album would you hand to someone to explain your hometown? Mine is forty minutes of samba and street noise."),
];

const ART: &[Line] = &[
    line("Risograph prints drying all over the studio floor. Pink and teal, always pink and teal. https://en.wikipedia.org/wiki/Risograph #printmaking"),
    line("Kintsugi workshop today: we broke perfectly good bowls on purpose and then made them better. https://en.wikipedia.org/wiki/Kintsugi"),
    line("A sketch a day for {n} days. Most are bad, a few are good, all of them are done. #sketchbook"),
    line("Colour palette of the week, stolen from the market awnings at {place}. #colour #design"),
    line("{friend} your indigo series made me rethink my whole palette. Thank you for sharing the process."),
    line("Bauhaus reading for anyone joining the study group: https://en.wikipedia.org/wiki/Bauhaus #design"),
    line("Kerned a headline for an hour. It is now perfect. Nobody will notice. That's the job. #typography"),
    warned("art process, messy studio", "Confession: I clean my brushes only when the studio cat judges me for it."),
    line("Finished the commission: {n} panels, four months, one very patient client. #illustration"),
];

const SCIENCE: &[Line] = &[
    line("Clear skies tonight! Going to try for M31 with the little refractor. https://en.wikipedia.org/wiki/Andromeda_Galaxy #astronomy"),
    line("Every tree you see is quietly trading sugar with fungi under your feet. Mycorrhiza! https://en.wikipedia.org/wiki/Mycorrhiza #botany"),
    line("Field day at the lava flows. Pillow lava is exactly as cute as it sounds. https://en.wikipedia.org/wiki/Pillow_lava #geology"),
    line("Counted {n} species on the morning transect, including one I had only ever seen in books. #birding #fieldwork"),
    line("{friend} do you know what this plant is? Five petals, hairy stem, smells like lemons when crushed."),
    line("The Moon is 400 times smaller than the Sun and 400 times closer. Coincidences are the universe showing off. #astronomy"),
    line("Water samples labelled, data entered, coffee cold. Science is glamorous. #fieldwork"),
    warned("insects, close-up", "Macro shots of the beetles from today's survey. Iridescent green, absolutely unbothered by me."),
];

const EVERYDAY: &[Line] = &[
    line("Small joy of the day: the bakery lady remembered my order. I've been going there for {n} months, so, fair."),
    line("Third place appreciation post. Mine is the café by {place} where nobody rushes you. https://en.wikipedia.org/wiki/Third_place"),
    line("It's raining, the window is open a crack, there's soup on the stove. This is the whole post."),
    line("Does anyone else write to-do lists just to cross off 'write to-do list'? Asking for me."),
    line("Went to {place} with {friend} and we got completely, gloriously lost. 10/10."),
    line("My cat has discovered the radiator. I will not be seeing her again until spring."),
    line("Hygge but make it a broken umbrella and a warm bakery: https://en.wikipedia.org/wiki/Hygge"),
    warned("mental health", "Gentle reminder, mostly to myself: rest is not a reward you earn, it's a thing you need. Take the afternoon off if you can."),
    line("Neighbours left a box of lemons on the stairs with a note that just says 'too many'. Community."),
    line("Learning to say no to things, one polite email at a time. Today: {n} polite emails."),
];

/// A post in another language, with its language code.
pub(crate) struct Foreign {
    pub language: &'static str,
    pub text: &'static str,
}

pub(crate) const FOREIGN: &[Foreign] = &[
    Foreign {
        language: "de",
        text: "Heute zum ersten Mal mit dem Rad zur Arbeit, 14 km, Gegenwind. Ich bin stolz und sehr müde. #fahrrad",
    },
    Foreign {
        language: "de",
        text: "Der Code kompiliert, die Tests sind grün, der Kaffee ist kalt. Ein guter Tag. #rust",
    },
    Foreign { language: "fr", text: "Premier levain de la saison, la pâte est vivante et moi aussi. #boulangerie" },
    Foreign {
        language: "fr",
        text: "Les carreaux de la cour après la pluie : bleu, vert, et cette odeur de terre mouillée.",
    },
    Foreign {
        language: "fr",
        text: "Nouvelle planche terminée ! Le chat lit toujours, mais cette fois c'est un roman policier. #bd",
    },
    Foreign {
        language: "es",
        text: "Los mejores tacos de la ciudad están en una esquina sin nombre. No pienso decir cuál. #tacos",
    },
    Foreign {
        language: "es",
        text: "Hoy vi un colibrí de cola larga en el jardín. Me temblaban las manos con la cámara. #aves",
    },
    Foreign {
        language: "es", text: "Subí los 200 escalones hasta el mirador y Valparaíso se veía como una acuarela."
    },
    Foreign { language: "pt", text: "Ensaio hoje à noite, tocamos até a vizinha pedir mais uma. #música" },
    Foreign { language: "pt", text: "Café forte, chuva fina e um violão desafinado. Domingo perfeito." },
    Foreign {
        language: "ja", text: "今朝の大阪、青い時間がとても綺麗だった。フィルムを一本使い切った。#写真"
    },
    Foreign { language: "ja", text: "新しいレンズで路地裏を散歩。光と影がちょうどいい。" },
    Foreign {
        language: "it",
        text: "Oggi ho sfornato venti tazze nuove. Tre sono storte, ed è per quelle che le amo. #ceramica",
    },
    Foreign {
        language: "nl",
        text: "Nieuwe fietsstraat geopend in mijn wijk. Rood asfalt, brede stoepen, blije mensen. #fietsen",
    },
    Foreign {
        language: "tr", text: "Vapurdan gün batımı, simit ve martılar. İstanbul bazen çok cömert. #istanbul"
    },
    Foreign { language: "tr", text: "Bugün körfezde ışık suya tam da resim yapılacak gibi düşüyordu." },
];

/// Replies to someone else's post.
pub(crate) const COMMENTS: &[&str] = &[
    "This is wonderful, thank you for sharing.",
    "Okay but where is this? I need to go.",
    "Saving this for the weekend.",
    "Ha, this is exactly my week too.",
    "Came here to say the same thing.",
    "I love this so much.",
    "Can you share more about how you did this?",
    "The second paragraph hit me right in the heart.",
    "Agree completely. More of this, please.",
    "Bookmarked. This is going in my notes.",
    "You always find the best corners of the world.",
    "My feed needed this today.",
    "Honest question: how do you find the time?",
    "Sending this to my sister right now.",
    "Beautifully put.",
    "I tried this last year and it changed how I work.",
    "Same here! We should compare notes sometime.",
    "Yes! And nobody talks about it enough.",
];

/// An author answering the comments on their own post.
pub(crate) const ANSWERS: &[&str] = &[
    "Thank you! It was an early start but worth it.",
    "Right?! I'll send you the details.",
    "Happy to, I'll write a longer post about it this week.",
    "Ha, glad I'm not the only one.",
    "Thank you, that means a lot.",
    "It's near the old harbour, just follow the gulls.",
    "Honestly, I don't. I just skip the dishes.",
    "Yes, let's! Coffee next week?",
];

/// Photo comments on the visual surface.
pub(crate) const PHOTO_COMMENTS: &[&str] = &[
    "Stunning 😍",
    "The colours!!",
    "What lens did you use for this?",
    "This belongs in a gallery.",
    "The light in this one is unreal.",
    "Wow, the layers of haze.",
    "Print this, big.",
    "Absolutely gorgeous composition.",
    "I can almost feel the cold air.",
    "Second one is my favourite.",
    "How long did you wait for this light?",
    "Pure calm. Thank you.",
];

/// Captions by subject, for the visual surface; the subject's hashtags are appended.
pub(crate) const LANDSCAPE_CAPTIONS: &[&str] = &[
    "Layers.",
    "The mountains were doing that thing again.",
    "Worth the 5am alarm.",
    "Stood here for an hour and forgot to check my phone.",
    "Some places you just have to sit down and look.",
    "The quiet before the hike down.",
    "Ridge after ridge after ridge.",
    "Mist in the valleys, light on the peaks.",
    "From the last trip. Still thinking about this view.",
    "No filter needed, only patience.",
    "Lake mirror, morning edition.",
    "Home, seen from above.",
];

pub(crate) const CITY_CAPTIONS: &[&str] = &[
    "The city switching its lights on, one window at a time.",
    "Harbour reflections after the rain.",
    "Every window a different story.",
    "Blue hour from the rooftop.",
    "Skyline, still my favourite view.",
    "The city hums differently after dark.",
    "Waiting for the last ferry.",
    "Neon and water, my two weaknesses.",
];

pub(crate) const ART_CAPTIONS: &[&str] = &[
    "New piece. Let me know what you see in it.",
    "Playing with colour again.",
    "From this week's studio sessions.",
    "Process over product, but I'm happy with this product.",
    "Finished this one late last night.",
    "Part of a new series, more soon.",
    "The palette came first, the shapes followed.",
    "Made while it rained all day.",
];

pub(crate) const STILL_LIFE_CAPTIONS: &[&str] = &[
    "Kitchen table, window light.",
    "Still life with fruit and a vase I made last spring.",
    "Afternoon light doing all the work.",
    "Arranged, rearranged, and finally left alone.",
    "Quiet things in good light.",
    "Studio study, natural light only.",
];

/// Scripted direct-message exchanges; `true` marks lines the signed-in user sent.
pub(crate) const CONVERSATIONS: &[&[(bool, &str)]] = &[
    &[
        (false, "Are you still up for the photo walk on Saturday?"),
        (true, "Yes! 7am at the old harbour?"),
        (false, "Perfect. I'll bring coffee ☕"),
    ],
    &[
        (true, "Your post about the tram line made me want to visit. Any tips for a first day?"),
        (false, "Ride it end to end, get off at the market, eat everything."),
        (true, "That's the whole itinerary?"),
        (false, "That's the whole itinerary. Trust me."),
    ],
    &[
        (false, "Hey! Would you mind if I used one of your mountain photos for our zine cover? Credited, of course."),
        (true, "I'd be honoured. Which one?"),
        (false, "The one with the layers of haze. The blue one."),
        (true, "Sending you the full resolution file tonight."),
        (false, "You're the best. I'll mail you a copy."),
    ],
    &[
        (true, "Thank you for the book recommendation, I finished it in two days."),
        (false, "I knew you'd love it. Chapter twelve, right?"),
    ],
    &[
        (false, "Quick question: what film stock were you shooting on the coast trip?"),
        (true, "Portra 400, pushed one stop. The grain is part of the charm."),
        (false, "Ordering some now. Thanks!"),
    ],
    &[
        (false, "We're doing a little print swap next month. Want in?"),
        (true, "Absolutely. What size?"),
        (false, "Postcard size, any subject, ten copies."),
        (true, "I'm in. I'll pick something from the night series."),
        (false, "Yes! The city ones are perfect for it."),
    ],
    &[
        (true, "Happy birthday! Hope the cake is as good as last year's."),
        (false, "Thank you!! It's better. I'm saving you a slice."),
    ],
    &[
        (false, "Did you see the aurora forecast for Thursday?"),
        (true, "No! How strong?"),
        (false, "Kp 6 if the clouds behave. I'll message you if it starts."),
    ],
];

/// The signed-in user's own feed posts: the voice of a photographer who writes.
pub(crate) const USER_POSTS: &[&str] = &[
    "Working title for the book: 'A Field Guide to Light'. Chapter one is about mornings, obviously.",
    "Went out for blue hour and came home with one frame I like. That's the job. #photography #bluehour",
    "Essay drafts are like film: you don't know what you've got until you develop them the next morning.",
    "Small thing that made my day: a stranger at the harbour asked about my camera and then showed me hers, a 1970s rangefinder in perfect shape.",
    "New essay up: why I still print my photographs, and why small prints make people lean in. https://en.wikipedia.org/wiki/Photographic_printing",
    "Thank you all for the kind words on the mountain series. I read every comment, even when I'm slow to answer.",
    "If you're new here: hello! I post photographs over on my visual account and words here. Mostly mountains, harbours and the light in between. #introduction",
    "Reading old field notebooks from 2019. Apparently I've been complaining about fog for five years and photographing it the whole time.",
    "Question for photographers: how do you decide when a series is finished? I keep adding 'just one more'.",
    "Writing morning. Tea, rain, a stubborn paragraph about the colour of snow at dusk.",
    "Walked to the lighthouse and back. 12 km, 300 frames, one blister, zero regrets. #hiking",
    "A whole day of editing and I removed more photos than I kept. That's how it should be, I think.",
    "Recommend me a book about seeing. Not photography technique, just looking at things properly. #books",
    "The mountains were clear for ten minutes this morning and the whole town stopped to look.",
    "Print sale opens next week for the harbour series. Small run, postcard and A4. Details soon.",
    "Today I learned the word 'komorebi': sunlight filtering through leaves. I've been photographing it for years without a name for it.",
    "Finished the chapter about night. It took three months and one very long walk.",
    "Grateful for this little corner of the internet where people talk about light like it's a friend.",
    "Packing for the coast: two cameras, six rolls of film, one notebook, too many sweaters.",
    "Draft of the book is at 40,000 words. Halfway. I think. #amwriting",
    "Trying to write about fog without using the word 'soft'. It's harder than it sounds.",
];

/// Captions for the signed-in user's own photographs.
pub(crate) const USER_CAPTIONS: &[&str] = &[
    "From the coast trip. Still processing, in every sense.",
    "Morning layers from the ridge.",
    "The harbour at blue hour, one of my favourite twenty minutes of the week.",
    "A series about fog, part one.",
    "Testing a new film stock. I think I like it.",
    "The light did the work, I just stood there.",
    "Walking home the long way.",
    "Night series, continued.",
    "Kitchen still life while the rain went on and on.",
    "Print sale preview: these three are in it.",
];
