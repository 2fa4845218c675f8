"""Value pools for synthetic identities: names, places, employers, occupations, handles.

Everything here is made up for this generator. Pools are large enough that full names, phones, emails and
handles stay unique across tens of thousands of personas, and (age, gender, city, employer) is nearly unique.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Parse "Name:Nick Name:Nick" into ((name, nick), ...)."""
    return tuple(tuple(item.split(":")) for item in text.split())  # type: ignore[misc]


FEMALE_NAMES = _pairs("""
Maria:Mari Elena:Ellie Sofia:Sofi Isabel:Izzy Camila:Cami Lucia:Lu Valeria:Vale Gabriela:Gabi Daniela:Dani
Adriana:Adri Carmen:Carmi Rosa:Rosie Ana:Annie Paula:Pau Julia:Jules Katherine:Kate Elizabeth:Liz
Jennifer:Jen Jessica:Jess Rebecca:Becca Stephanie:Steph Samantha:Sam Alexandra:Lexi Victoria:Tori
Margaret:Maggie Abigail:Abby Madeline:Maddie Natalie:Nat Olivia:Liv Emily:Em Hannah:Hanna Rachel:Rach
Sarah:Sari Amanda:Mandy Melissa:Mel Michelle:Shell Kimberly:Kim Christina:Chrissy Patricia:Trish
Deborah:Debbie Susan:Sue Barbara:Barb Theresa:Tess Josephine:Josie Charlotte:Lottie Eleanor:Nora
Amelia:Millie Harper:Harps Evelyn:Evie Grace:Gracie Chloe:Clo Zoe:Zo Lily:Lil Audrey:Aud Claire:Clairey
Naomi:Nomi Ruth:Ruthie Miriam:Miri Leah:Lee Esther:Essie Priya:Pri Ananya:Anu Divya:Div Meera:Meeru
Kavya:Kav Aisha:Ash Fatima:Fati Layla:Lay Yasmin:Yas Noor:Noori Zainab:Zee Amina:Mina Mei:Meimei
Lin:Linny Yuki:Yu Hana:Han Sakura:Saki Ji-woo:Jiji Min-ji:Minnie Soo-ah:Sooey Thuy:Tee Linh:Linnie
Ngozi:Ngo Amara:Mara Chioma:Chi Adaeze:Ada Folake:Fola Imani:Mani Aaliyah:Liyah Destiny:Des Jasmine:Jazz
Tiana:Tia Keisha:Kei Monique:Mo Ebony:Eb Shanice:Shan Ingrid:Inga Freya:Frey Astrid:Assi Sigrid:Siggy
Katarzyna:Kasia Agnieszka:Aga Magdalena:Magda Zofia:Zosia Irina:Ira Olga:Olya Svetlana:Sveta Tatiana:Tanya
Giulia:Giuli Francesca:Fran Chiara:Chia Alessia:Ale Siobhan:Shiv Aoife:Eefa Niamh:Neevs Brigid:Bridie
Colette:Coco Margot:Margie Juliette:Etta Amelie:Mel Leila:Lei Rania:Rani Dalia:Dally Tamar:Tami
Paloma:Palo Ximena:Xime Guadalupe:Lupe Dolores:Lola Consuelo:Chelo Graciela:Chela Renata:Rena Beatriz:Bea
""")

MALE_NAMES = _pairs("""
James:Jim John:Johnny Robert:Rob Michael:Mike William:Will David:Dave Richard:Rich Joseph:Joe Thomas:Tom
Charles:Charlie Christopher:Chris Daniel:Dan Matthew:Matt Anthony:Tony Mark:Markie Donald:Don Steven:Steve
Andrew:Andy Joshua:Josh Kenneth:Ken Kevin:Kev Brian:Bri George:Georgie Timothy:Tim Ronald:Ron Edward:Ed
Jason:Jay Jeffrey:Jeff Ryan:Ry Jacob:Jake Nicholas:Nick Jonathan:Jon Benjamin:Ben Samuel:Sammy
Gregory:Greg Alexander:Alex Patrick:Pat Jack:Jackie Dennis:Denny Jerry:Jer Tyler:Ty Aaron:Ronnie
Nathan:Nate Zachary:Zach Henry:Hank Peter:Pete Kyle:Ky Walter:Walt Harold:Harry Raymond:Ray Lawrence:Larry
Carlos:Carlitos Luis:Lucho Jose:Pepe Juan:Juanito Miguel:Migue Alejandro:Ale Diego:Dieguito Javier:Javi
Fernando:Nando Ricardo:Ricky Eduardo:Lalo Francisco:Paco Manuel:Manny Roberto:Beto Rafael:Rafa Andres:Andi
Ahmed:Ahmo Omar:Omi Hassan:Hass Karim:Kari Tariq:Tari Yusuf:Yusu Bilal:Bil Rahul:Rah Arjun:Arj
Vikram:Vik Sanjay:Sanj Rohan:Ro Aditya:Adi Wei:Weiwei Jun:Junjun Hiroshi:Hiro Kenji:Ken-chan Takeshi:Take
Min-jun:Minjunnie Seo-jun:Sj Minh:Minny Quang:Q Bao:Baobao Chidi:Chi-boy Emeka:Meks Obinna:Obi Tunde:Tee
Kwame:Kwam Jamal:Mal DeShawn:Shawn Tyrone:Ty-Ty Marcus:Marc Darnell:Darn Malik:Leek Andre:Dre Terrence:Terry
Lars:Larsy Erik:Rik Magnus:Mags Sven:Svenny Piotr:Piotrek Tomasz:Tomek Krzysztof:Krzys Dmitri:Dima
Sergei:Seryozha Alexei:Lyosha Giovanni:Gio Marco:Marky Luca:Luke Matteo:Teo Sean:Seanie Liam:Lee
Cian:Kee Declan:Dec Padraig:Paddy Olivier:Oli Julien:Jules Mathieu:Matti Pierre:Pierrot Hugo:Hughie
Elijah:Eli Isaac:Ike Ezra:Ez Levi:Lev Noah:No Caleb:Cal Owen:O Gavin:Gav Connor:Con Logan:Lo Dylan:Dyl
""")

NEUTRAL_NAMES = _pairs("""
Jordan:Jordy Taylor:Tay Casey:Case Riley:Ri Morgan:Mo Avery:Aves Quinn:Q Rowan:Ro Sage:Sagey Skyler:Sky
Dakota:Kota Emerson:Em Finley:Finn Hayden:Hay Jamie:Jay Kai:Kai-Kai Reese:Ree River:Riv Robin:Rob
Sasha:Sash Alex:Al Charlie:Char Frankie:Frank Jesse:Jess Ash:Ashy Remy:Rem Noel:No Blair:Blair-bear Ellis:El
""")

SURNAMES = _words("""
Lopez Garcia Martinez Rodriguez Hernandez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera Gomez Diaz
Reyes Morales Cruz Ortiz Gutierrez Chavez Ramos Ruiz Alvarez Mendoza Castillo Jimenez Vasquez Romero Herrera
Medina Aguilar Vargas Castro Guzman Salazar Delgado Navarro Soto Campos Fuentes Smith Johnson Williams Brown
Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark Lewis
Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner
Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Bailey
Reed Kelly Howard Cox Ward Richardson Watson Brooks Wood James Bennett Gray Hughes Price Sanders Myers Long
Ross Foster Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Fisher Vaughn Ellis
Patel Shah Singh Kumar Sharma Gupta Mehta Reddy Iyer Nair Chopra Bhatt Desai Joshi Kapoor Malhotra Rao Menon
Nguyen Tran Pham Le Hoang Vu Dang Bui Do Ngo Chen Wang Li Zhang Liu Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu
Kim Park Choi Jung Kang Cho Yoon Jang Lim Han Tanaka Suzuki Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi
Okafor Adeyemi Okonkwo Nwosu Eze Mensah Boateng Owusu Asante Diallo Kamara Mwangi Otieno Kariuki Abebe
Haile Tesfaye Osei Achebe Balogun Khan Ahmed Hussain Ali Rahman Malik Qureshi Siddiqui Aziz Haddad Nasser
Khalil Saleh Mansour Farah Cohen Levy Friedman Katz Goldberg Shapiro Weiss Novak Kowalski Nowak Wisniewski
Wojcik Kaminski Lewandowski Zielinski Ivanova Petrov Smirnov Volkov Sokolov Popescu Horvath Nagy Kovacs
Muller Schmidt Schneider Fischer Weber Becker Hoffmann Wagner Klein Wolf Rossi Russo Ferrari Esposito
Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti Costa Murray Byrne Ryan OConnor Walsh McCarthy
Gallagher Doherty Kennedy Lynch Quinn Brennan Dunne Moran Fitzgerald Larsen Hansen Nielsen Johansson
Lindqvist Berg Dubois Lefebvre Moreau Laurent Girard Bonnet Fontaine Rousseau Silva Santos Oliveira Souza
Pereira Almeida Carvalho Ferreira Rocha Lima Ribeiro Barbosa Araujo Dias Teixeira Mendes Cardoso
Okoro Bakare Adebayo Achterberg Vandermeer Dekker Visser Jansen Bakker Vos Hendriks Peeters Wouters
Holloway Whitaker Pennington Ashworth Blackwood Hargrove Kingsley Langford Merriweather Thornton Winslow
""")

# city|region; regions use full names so mentions stay comparable to the canonical value
CITIES = tuple(
    tuple(part.replace("_", " ") for part in item.split("|")) for item in _words("""
Denver|Colorado Boulder|Colorado Pueblo|Colorado Austin|Texas Houston|Texas El_Paso|Texas Lubbock|Texas
Dallas|Texas Phoenix|Arizona Tucson|Arizona Flagstaff|Arizona Seattle|Washington Spokane|Washington
Tacoma|Washington Portland|Oregon Eugene|Oregon Salem|Oregon Boise|Idaho Reno|Nevada Las_Vegas|Nevada
Sacramento|California Fresno|California Oakland|California San_Diego|California Bakersfield|California
Santa_Rosa|California Chicago|Illinois Peoria|Illinois Springfield|Illinois Milwaukee|Wisconsin
Madison|Wisconsin Green_Bay|Wisconsin Minneapolis|Minnesota Duluth|Minnesota Des_Moines|Iowa
Cedar_Rapids|Iowa Omaha|Nebraska Lincoln|Nebraska Wichita|Kansas Topeka|Kansas Tulsa|Oklahoma Norman|Oklahoma
Little_Rock|Arkansas Memphis|Tennessee Nashville|Tennessee Knoxville|Tennessee Louisville|Kentucky
Lexington|Kentucky Columbus|Ohio Cleveland|Ohio Dayton|Ohio Toledo|Ohio Detroit|Michigan Lansing|Michigan
Grand_Rapids|Michigan Indianapolis|Indiana Fort_Wayne|Indiana Pittsburgh|Pennsylvania Erie|Pennsylvania
Scranton|Pennsylvania Allentown|Pennsylvania Buffalo|New_York Rochester|New_York Albany|New_York
Syracuse|New_York Newark|New_Jersey Trenton|New_Jersey Hartford|Connecticut New_Haven|Connecticut
Providence|Rhode_Island Worcester|Massachusetts Lowell|Massachusetts Portland|Maine Burlington|Vermont
Manchester|New_Hampshire Baltimore|Maryland Annapolis|Maryland Richmond|Virginia Norfolk|Virginia
Roanoke|Virginia Raleigh|North_Carolina Durham|North_Carolina Asheville|North_Carolina Charlotte|North_Carolina
Columbia|South_Carolina Charleston|South_Carolina Savannah|Georgia Atlanta|Georgia Macon|Georgia
Birmingham|Alabama Mobile|Alabama Huntsville|Alabama Jackson|Mississippi Baton_Rouge|Louisiana
Shreveport|Louisiana Tampa|Florida Orlando|Florida Gainesville|Florida Tallahassee|Florida
Jacksonville|Florida Albuquerque|New_Mexico Santa_Fe|New_Mexico Salt_Lake_City|Utah Provo|Utah
Billings|Montana Missoula|Montana Cheyenne|Wyoming Fargo|North_Dakota Sioux_Falls|South_Dakota
Anchorage|Alaska Honolulu|Hawaii Wilmington|Delaware Leeds|West_Yorkshire Bradford|West_Yorkshire
Sheffield|South_Yorkshire Bristol|Somerset Norwich|Norfolk Leicester|Leicestershire Nottingham|Nottinghamshire
Coventry|West_Midlands Plymouth|Devon Exeter|Devon Cardiff|Wales Swansea|Wales Glasgow|Scotland
Dundee|Scotland Aberdeen|Scotland Belfast|Northern_Ireland Cork|Munster Galway|Connacht Limerick|Munster
Calgary|Alberta Edmonton|Alberta Winnipeg|Manitoba Regina|Saskatchewan Halifax|Nova_Scotia Hamilton|Ontario
Ottawa|Ontario Kingston|Ontario Kelowna|British_Columbia Adelaide|South_Australia Perth|Western_Australia
Hobart|Tasmania Geelong|Victoria Wollongong|New_South_Wales Dunedin|Otago
""")
)

PLACE_WORDS = _words("""
Riverside Northgate Bluebird Harborview Oakridge Summit Mapleleaf Silverlake Pinecrest Westfield Cedar
Lakeshore Granite Redwood Brightside Evergreen Sunrise Highland Meadowbrook Stonebridge Willowcreek Copper
Ironwood Blueridge Crescent Foxglove Kingfisher Lighthouse Northstar Parkside Quarry Rosewood Sterling
Tidewater Valley Wildflower Ashford Beacon Clearwater Driftwood Elmwood Fairview Greenleaf Hilltop Juniper
Keystone Larkspur Midtown Orchard Prairie Ridgeline Timberline Upland Vista Windmill Bayside Hawthorn
""")

# business type -> occupations plausible there
BUSINESSES: dict[str, tuple[str, ...]] = {
    "Bakery": ("baker", "cashier", "pastry cook"),
    "Dental": ("dental hygienist", "receptionist", "dental assistant"),
    "Hospital": ("nurse", "CNA", "lab tech", "paramedic", "radiology tech"),
    "Logistics": ("forklift driver", "dispatcher", "warehouse associate"),
    "Insurance": ("claims adjuster", "underwriter", "customer service rep"),
    "Credit Union": ("bank teller", "loan officer"),
    "Elementary": ("teacher", "teaching assistant", "school counselor"),
    "Pharmacy": ("pharmacist", "pharmacy tech"),
    "Auto Repair": ("mechanic", "service advisor"),
    "Grocery": ("cashier", "stocker", "deli clerk"),
    "Diner": ("line cook", "server", "dishwasher"),
    "Coffee Co": ("barista", "shift lead"),
    "Veterinary Clinic": ("vet tech", "vet receptionist"),
    "Public Library": ("librarian", "library assistant"),
    "Fitness": ("personal trainer", "front desk associate"),
    "Construction": ("electrician", "carpenter", "site supervisor"),
    "Realty": ("real estate agent", "office manager"),
    "Law Group": ("paralegal", "legal secretary", "attorney"),
    "Accounting": ("accountant", "bookkeeper"),
    "Hotel": ("housekeeper", "front desk clerk", "night auditor"),
    "Call Center": ("call center agent", "team lead"),
    "Software": ("software developer", "QA tester", "product manager"),
    "Brewing Co": ("brewer", "bartender"),
    "Care Home": ("caregiver", "activities coordinator", "nurse"),
    "Daycare": ("childcare worker", "daycare teacher"),
    "Hardware": ("sales associate", "stock clerk"),
    "Books": ("bookseller", "store manager"),
    "Bank": ("bank teller", "financial advisor"),
    "Animal Shelter": ("kennel attendant", "adoption counselor"),
    "Garden Center": ("landscaper", "garden center associate"),
    "Marketing": ("graphic designer", "copywriter", "social media manager"),
    "Plumbing": ("plumber", "apprentice plumber"),
    "Salon": ("hairstylist", "nail tech"),
    "Medical Center": ("medical assistant", "phlebotomist", "nurse"),
    "High School": ("teacher", "janitor", "school secretary"),
    "Community Center": ("youth worker", "program coordinator"),
    "Trucking": ("truck driver", "dispatcher"),
    "Print Shop": ("print operator", "designer"),
}

SCHOOL_KINDS = ("Community College", "University", "College", "State University", "Technical College")
STUDENT_OCCUPATIONS = ("student", "nursing student", "grad student", "college student", "apprentice")

STREET_NAMES = _words("""
Maple Oak Elm Pine Cedar Birch Willow Chestnut Walnut Spruce Hickory Poplar Magnolia Sycamore Laurel
Highland Lincoln Washington Jefferson Franklin Madison Jackson Adams Monroe Park Lake Hill River Spring
Church Mill Bridge Market Union Main Center Grove Forest Meadow Sunset Ridge Valley Orchard Garden Prospect
""")
STREET_SUFFIXES = ("St", "Ave", "Rd", "Lane", "Drive", "Ct", "Blvd", "Way")

EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "aol.com",
                 "mail.com", "gmx.com")
HANDLE_WORDS = _words("""
quiet sleepy tired lost brave sunny rainy moody lunar cosmic velvet paper neon wild little blue grey
fox owl moth bear wolf cat crow otter fern moss cloud storm ember river tide maple pixel ghost comet
""")
URL_SITES = ("instagram.com", "tiktok.com/@", "linktr.ee", "medium.com/@", "twitch.tv", "tumblr.com/blog")

RELATIONS_FEMALE = ("mom", "sister", "wife", "daughter", "grandma", "aunt", "girlfriend")
RELATIONS_MALE = ("dad", "brother", "husband", "son", "grandpa", "uncle", "boyfriend")
RELATIONS_NEUTRAL = ("partner", "cousin", "roommate", "best friend")

LIFE_EVENTS = (
    "the car accident", "the break-in", "my divorce", "my mom's funeral", "my dad's funeral", "the house fire",
    "my diagnosis", "getting laid off", "the assault", "my miscarriage", "the breakup", "my surgery",
    "the deployment", "the flood", "my brother's overdose", "the robbery at work", "the custody hearing",
    "the eviction", "my hospital stay", "the shooting downtown", "the stabbing at the bar", "the crash",
)
