"""Public lookup tables of the ``generalize`` anonymizer: cities to their region and country, organisations to
their sector. Common knowledge written for this module (major cities of English-speaking countries; well-known
employers), not taken from any dataset.
"""

from __future__ import annotations

# region -> (country, cities)
REGIONS: dict[str, tuple[str, str]] = {
    # United Kingdom
    "Greater London": ("the UK", "London Croydon Westminster Camden Hackney Islington Brixton"),
    "Yorkshire": ("the UK", "Leeds Sheffield Bradford York Hull Wakefield Huddersfield Doncaster Harrogate Halifax"),
    "North West England": ("the UK", "Manchester Liverpool Salford Preston Blackpool Bolton Stockport Wigan Lancaster"),
    "North East England": ("the UK", "Newcastle Sunderland Durham Middlesbrough Gateshead"),
    "the Midlands": ("the UK", "Birmingham Coventry Wolverhampton Nottingham Leicester Derby Stoke Worcester Lincoln"),
    "South East England": ("the UK", "Brighton Oxford Reading Southampton Portsmouth Canterbury Milton_Keynes Guildford"),
    "South West England": ("the UK", "Bristol Bath Exeter Plymouth Bournemouth Gloucester Cheltenham Swindon Truro"),
    "East of England": ("the UK", "Cambridge Norwich Ipswich Peterborough Colchester Luton Chelmsford"),
    "Scotland": ("the UK", "Glasgow Edinburgh Aberdeen Dundee Inverness Stirling Perth_(Scotland)"),
    "Wales": ("the UK", "Cardiff Swansea Newport Wrexham Bangor Aberystwyth"),
    "Northern Ireland": ("the UK", "Belfast Derry Lisburn Newry"),
    # Ireland
    "Leinster": ("Ireland", "Dublin Kilkenny Drogheda Dundalk"),
    "Munster": ("Ireland", "Cork Limerick Waterford Killarney"),
    "Connacht": ("Ireland", "Galway Sligo"),
    # United States (by state)
    "California": ("the US", "Los_Angeles San_Francisco San_Diego San_Jose Sacramento Oakland Fresno Bakersfield Long_Beach"),
    "Texas": ("the US", "Houston Dallas Austin San_Antonio El_Paso Fort_Worth Lubbock Arlington"),
    "New York State": ("the US", "New_York Brooklyn Buffalo Rochester Albany Syracuse"),
    "Florida": ("the US", "Miami Orlando Tampa Jacksonville Tallahassee Gainesville"),
    "Illinois": ("the US", "Chicago Springfield Peoria Naperville"),
    "Pennsylvania": ("the US", "Philadelphia Pittsburgh Allentown Erie Scranton Harrisburg"),
    "Ohio": ("the US", "Columbus Cleveland Cincinnati Dayton Toledo Akron"),
    "Washington State": ("the US", "Seattle Spokane Tacoma Olympia Bellevue"),
    "Oregon": ("the US", "Portland Eugene Salem Bend"),
    "Colorado": ("the US", "Denver Boulder Colorado_Springs Aurora"),
    "Arizona": ("the US", "Phoenix Tucson Flagstaff Mesa Scottsdale"),
    "Massachusetts": ("the US", "Boston Worcester Cambridge_(MA) Lowell Springfield_(MA)"),
    "Georgia": ("the US", "Atlanta Savannah Macon Athens"),
    "Michigan": ("the US", "Detroit Lansing Grand_Rapids Ann_Arbor Flint"),
    "Minnesota": ("the US", "Minneapolis Saint_Paul Duluth Rochester_(MN)"),
    "Tennessee": ("the US", "Nashville Memphis Knoxville Chattanooga"),
    "North Carolina": ("the US", "Charlotte Raleigh Durham Asheville Greensboro"),
    "Virginia": ("the US", "Richmond Norfolk Virginia_Beach Roanoke Arlington_(VA)"),
    "Maryland": ("the US", "Baltimore Annapolis"),
    "Wisconsin": ("the US", "Milwaukee Madison Green_Bay"),
    "Missouri": ("the US", "Kansas_City Saint_Louis St._Louis Springfield_(MO)"),
    "Indiana": ("the US", "Indianapolis Fort_Wayne Bloomington"),
    "Nevada": ("the US", "Las_Vegas Reno Henderson"),
    "Utah": ("the US", "Salt_Lake_City Provo Ogden"),
    "Louisiana": ("the US", "New_Orleans Baton_Rouge Shreveport"),
    "New Jersey": ("the US", "Newark Jersey_City Trenton"),
    "Kentucky": ("the US", "Louisville Lexington"),
    "Alabama": ("the US", "Birmingham_(AL) Montgomery Mobile Huntsville"),
    "New Mexico": ("the US", "Albuquerque Santa_Fe"),
    # Canada, Australia, New Zealand
    "Ontario": ("Canada", "Toronto Ottawa Hamilton Kingston London_(ON) Mississauga"),
    "Quebec": ("Canada", "Montreal Quebec_City Laval"),
    "British Columbia": ("Canada", "Vancouver Victoria_(BC) Kelowna Surrey"),
    "Alberta": ("Canada", "Calgary Edmonton"),
    "New South Wales": ("Australia", "Sydney Newcastle_(NSW) Wollongong"),
    "Victoria": ("Australia", "Melbourne Geelong Ballarat"),
    "Queensland": ("Australia", "Brisbane Gold_Coast Cairns"),
    "Western Australia": ("Australia", "Perth"),
    "South Australia": ("Australia", "Adelaide"),
    "the North Island": ("New Zealand", "Auckland Wellington Hamilton_(NZ)"),
    "the South Island": ("New Zealand", "Christchurch Dunedin"),
}

# city (lower case; a bracketed qualifier only disambiguates the table) -> (region, country); the first entry of
# an ambiguous name wins (London -> Greater London)
CITY_REGION: dict[str, tuple[str, str]] = {}
for _region, (_country, _cities) in REGIONS.items():
    for _city in _cities.split():
        CITY_REGION.setdefault(_city.split("_(")[0].replace("_", " ").lower(), (_region, _country))
REGION_COUNTRY: dict[str, str] = {region.lower(): country for region, (country, _) in REGIONS.items()}
COUNTRIES = frozenset({"the uk", "uk", "england", "scotland", "wales", "ireland", "the us", "us", "usa", "america",
                       "canada", "australia", "new zealand", "united states", "united kingdom"})

# (keywords in the name, lower case) -> sector; the first matching row wins
SECTOR_KEYWORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("hospital", "infirmary", "clinic", "surgery", "medical", "health", "nhs", "hospice", "dental", "pharmacy",
      "care home", "nursing home"), "a healthcare provider"),
    (("university", "college", "polytechnic"), "a university"),
    (("school", "academy", "nursery", "daycare", "kindergarten"), "a school"),
    (("bank", "insurance", "credit union", "capital", "financial", "building society"), "a financial company"),
    (("council", "department", "ministry", "police", "agency", "authority", "county", "city of"), "a public body"),
    (("diner", "cafe", "café", "restaurant", "coffee", "bakery", "brewing", "brewery", "pub", "bar & grill"),
     "a hospitality business"),
    (("grocery", "supermarket", "store", "shop", "books", "hardware", "market"), "a shop"),
    (("software", "tech", "digital", "systems", "labs"), "a tech company"),
    (("logistics", "trucking", "freight", "delivery", "warehouse"), "a logistics company"),
    (("church", "charity", "foundation", "trust", "mission"), "a charity"),
)
# well-known employers -> sector
EMPLOYERS: dict[str, str] = {name.replace("_", " ").lower(): sector for sector, names in {
    "a shop": "Tesco Sainsbury's Asda Aldi Lidl Morrisons Waitrose Walmart Target Costco Kroger Boots Primark "
              "IKEA Home_Depot Best_Buy Argos",
    "a hospitality business": "Starbucks McDonald's Costa Greggs Subway Pret Nando's KFC Burger_King Domino's",
    "a tech company": "Google Amazon Apple Microsoft Meta Facebook IBM Oracle Netflix",
    "a logistics company": "FedEx UPS DHL Royal_Mail USPS Deliveroo Uber Lyft DoorDash",
    "a financial company": "Barclays HSBC Lloyds NatWest Santander Chase Wells_Fargo Citibank",
    "a consultancy": "Deloitte Accenture KPMG PwC EY McKinsey",
}.items() for name in names.split()}
