/** One demo person, compact; `seed.ts` expands it into a wire user. */
export interface PersonSpec {
  id: string;
  parent?: string;
  rel?: string;
  type?: 'BUSINESS' | 'DIRECTOR';
  first: string;
  middle?: string;
  last?: string;
  native?: string;
  gender?: 'MALE' | 'FEMALE';
  title?: string;
  dob?: string;
  nat?: string;
  home: Address;
  /** E.164; minors have none. */
  mobile?: string;
  phone?: string;
  /** Explicit address, or `false` for none; otherwise derived from the name. */
  email?: string | false;
  lang?: string;
  /** employment_type, employment_title, company_name, industry_type, monthly_salary. */
  job?: [string, string, string, string, number];
  status?: [string, string?];
  /** Days after creation that the record was last modified. */
  touched?: number;
}

/** address_line1, address_line2, city, state, postal_code, country. */
export type Address = [string, string, string, string, string, string];

const JUMEIRAH: Address = ['Villa 14, Street 23B', 'Jumeirah 2', 'Dubai', 'Dubai', '00000', 'ARE'];
const MARINA: Address = ['Apt 3104, Marina Gate 2', 'Dubai Marina', 'Dubai', 'Dubai', '00000', 'ARE'];
const KENSINGTON: Address = ['Flat 6, 22 Pembroke Gardens', 'Kensington', 'London', 'Greater London', 'W8 6HU', 'GBR'];
const BANDRA: Address = ['1202 Sea Breeze Towers', 'Carter Road, Bandra West', 'Mumbai', 'Maharashtra', '400050', 'IND'];
const SINGAPORE: Address = ['18 Holland Grove Road', '#04-11', 'Singapore', 'Singapore', '278803', 'SGP'];
const SETAGAYA: Address = ['3-14-7 Sakurashinmachi', '', 'Setagaya-ku', 'Tokyo', '154-0015', 'JPN'];
const PALO_ALTO: Address = ['2150 Waverley Street', '', 'Palo Alto', 'California', '94301', 'USA'];
const GANGNAM: Address = ['27 Teheran-ro 4-gil', 'Apt 1102', 'Seoul', 'Seoul', '06236', 'KOR'];
const IKOYI: Address = ['7 Bourdillon Road', 'Ikoyi', 'Lagos', 'Lagos', '106104', 'NGA'];
const KILIMANI: Address = ['Argwings Kodhek Road, House 41', 'Kilimani', 'Nairobi', 'Nairobi County', '00100', 'KEN'];
const PINHEIROS: Address = ['Rua dos Pinheiros, 870', 'Apto 52', 'São Paulo', 'SP', '05422-001', 'BRA'];
const PROVIDENCIA: Address = ['Av. Providencia 2540', 'Col. Providencia', 'Guadalajara', 'Jalisco', '44630', 'MEX'];
const MALASANA: Address = ['Calle del Espíritu Santo 19', '3º B', 'Madrid', 'Madrid', '28004', 'ESP'];
const SCHWABING: Address = ['Leopoldstraße 114', '', 'München', 'Bayern', '80802', 'DEU'];
const PARIS: Address = ['48 rue de la Roquette', '', 'Paris', 'Île-de-France', '75011', 'FRA'];
const MOKOTOW: Address = ['ul. Puławska 145', 'm. 12', 'Warszawa', 'Mazowieckie', '02-715', 'POL'];
const DUBLIN: Address = ['14 Leeson Park', 'Ranelagh', 'Dublin', 'County Dublin', 'D06 V2K4', 'IRL'];
const KADIKOY: Address = ['Moda Caddesi No: 88', 'Daire 5', 'İstanbul', 'İstanbul', '34710', 'TUR'];
const ZAMALEK: Address = ['12 Brazil Street', 'Zamalek', 'Cairo', 'Cairo', '11211', 'EGY'];
const BUSINESS_BAY: Address = ['Office 2207, The Opus', 'Business Bay', 'Dubai', 'Dubai', '00000', 'ARE'];

/** The demo family patriarch whose tree goes four levels deep. */
export const KHALID = 'd8f78aea-4db1-4e9c-a3d0-550ac484b4c2';
const OMAR = '736f5f04-13c7-4b22-95ba-f073a0787762';
const HAMDAN = '372c0220-f6af-48e0-9e8c-fbc67f95b47a';
const MARIAM = '183eedab-053b-4f4f-a365-67e121566103';
const YOUSEF = 'ab3fbb1f-3aa9-46de-a62a-95a1d2621db4';
const RAJESH = 'e08d735a-27a4-4965-81f3-fe54cdba74e2';
const PRIYA = 'fc4aaab1-57f6-4c1d-9485-306dde54071c';
const VIKRAM = '708f5704-e7dc-4423-8991-e7c69a968176';
const HIROSHI = '8eda0702-71bb-4d77-a6c0-f035f3ab7b63';
const KENJI = 'fc72411f-291c-483e-86c5-2dd950cfdb08';
const SEOYEON = 'e872fd03-28f5-43bd-9e7a-f47398553bd2';
const EMEKA = 'c8452bc8-9fd6-4273-9f2e-1e07d463ee64';
const ADAEZE = 'b94bc60a-a774-459b-8b33-76ed9a6de874';
const OBINNA = 'b4ef8007-722b-44ab-b6f4-63dba7e34d75';
const WANJIRU = '4029f128-8be1-4616-8b6a-3383d67f66ca';
const JOAO = '9be840bf-2df4-4f12-aaa8-8b1162fe09f4';
const ANA = '1b056a75-d397-451f-b2cc-2297ea20cb9f';
const ALEJANDRO = '40661930-13f9-442e-8908-ebd55c248dac';
const KLAUS = '7eb8138b-358a-4b18-9332-0b78d88691d8';
const AGNIESZKA = 'c412cd97-2fae-4122-bc8d-55933a252625';
/** The demo business; its directors are its children. */
export const GULF_HORIZON = '6cbfd0ea-84d4-4b2f-8ef2-3889a4ced948';

/** The demo people in creation order: parents before children. */
export const PEOPLE: readonly PersonSpec[] = [
  { id: KHALID, first: 'Khalid', middle: 'Saeed', last: 'Al Mansouri', native: 'خالد سعيد المنصوري', gender: 'MALE', dob: '1946-03-14', nat: 'ARE', home: JUMEIRAH, mobile: '+971501234567', lang: 'AR', job: ['SELF_EMPLOYED', 'Chairman', 'Al Mansouri Pearl Trading', 'I05', 95000], touched: 40 },
  { id: 'affd8e4c-c298-4c5a-a676-f4bdfaca3be4', parent: KHALID, rel: 'SPOUSE', first: 'Aisha', middle: 'Rashid', last: 'Al Mansouri', native: 'عائشة راشد المنصوري', gender: 'FEMALE', title: 'MRS', dob: '1951-09-02', nat: 'ARE', home: JUMEIRAH, mobile: '+971501234568', lang: 'AR' },
  { id: OMAR, parent: KHALID, rel: 'SON', first: 'Omar', middle: 'Khalid', last: 'Al Mansouri', native: 'عمر خالد المنصوري', gender: 'MALE', dob: '1971-06-21', nat: 'ARE', home: JUMEIRAH, mobile: '+971502345671', lang: 'AR', job: ['SALARIED', 'Chief Financial Officer', 'Emirates Maritime Holdings', 'I08', 72000] },
  { id: HAMDAN, parent: OMAR, rel: 'SON', first: 'Hamdan', middle: 'Omar', last: 'Al Mansouri', native: 'حمدان عمر المنصوري', gender: 'MALE', dob: '1996-01-30', nat: 'ARE', home: MARINA, mobile: '+971552345672', lang: 'EN', job: ['SALARIED', 'Product Manager', 'Noon Commerce', 'I11', 38000] },
  { id: '71ebc664-7ed5-43aa-9f80-bffa216ff3ce', parent: HAMDAN, rel: 'SON', first: 'Zayed', middle: 'Hamdan', last: 'Al Mansouri', native: 'زايد حمدان المنصوري', gender: 'MALE', dob: '2019-11-08', nat: 'ARE', home: MARINA, email: false },
  { id: '2af85f73-ce78-40fe-8de5-ee4db5f85772', parent: HAMDAN, rel: 'DAUGHTER', first: 'Latifa', middle: 'Hamdan', last: 'Al Mansouri', native: 'لطيفة حمدان المنصوري', gender: 'FEMALE', dob: '2021-04-17', nat: 'ARE', home: MARINA, email: false },
  { id: '80de8454-4265-4e17-a7a7-cbf5ef1e2c85', parent: OMAR, rel: 'DAUGHTER', first: 'Noora', middle: 'Omar', last: 'Al Mansouri', native: 'نورة عمر المنصوري', gender: 'FEMALE', dob: '1999-08-12', nat: 'ARE', home: JUMEIRAH, mobile: '+971562345673', lang: 'EN', job: ['SALARIED', 'Architect', 'Dar Al Handasah', 'I04', 29000] },
  { id: MARIAM, parent: KHALID, rel: 'DAUGHTER', first: 'Mariam', middle: 'Khalid', last: 'Al Suwaidi', native: 'مريم خالد السويدي', gender: 'FEMALE', title: 'DR', dob: '1974-02-05', nat: 'ARE', home: KENSINGTON, mobile: '+447700900123', lang: 'EN', job: ['SALARIED', 'Consultant Cardiologist', 'Royal Brompton Hospital', 'I07', 41000] },
  { id: 'b5eebb9f-8613-408f-a657-7cd2697aa091', parent: MARIAM, rel: 'DAUGHTER', first: 'Yasmin', last: 'Al Suwaidi', native: 'ياسمين السويدي', gender: 'FEMALE', dob: '2002-12-01', nat: 'ARE', home: KENSINGTON, mobile: '+447700900456', lang: 'EN', job: ['STUDENT', 'Student', "King's College London", 'I06', 0] },
  { id: YOUSEF, parent: KHALID, rel: 'SON', first: 'Yousef', middle: 'Khalid', last: 'Al Mansouri', native: 'يوسف خالد المنصوري', gender: 'MALE', dob: '1978-10-23', nat: 'ARE', home: JUMEIRAH, mobile: '+971503456781', lang: 'AR', job: ['SELF_EMPLOYED', 'Founder', 'Falcon Logistics FZE', 'I09', 55000], touched: 12 },
  { id: '0baa0c79-1d2e-4233-b284-3380e9f51bd9', parent: YOUSEF, rel: 'SON', first: 'Rashid', middle: 'Yousef', last: 'Al Mansouri', native: 'راشد يوسف المنصوري', gender: 'MALE', dob: '2006-05-19', nat: 'ARE', home: JUMEIRAH, mobile: '+971503456782', lang: 'EN' },
  { id: '5c542259-e28c-4fc7-8285-0628d9671f6f', parent: YOUSEF, rel: 'DAUGHTER', first: 'Salama', middle: 'Yousef', last: 'Al Mansouri', native: 'سلامة يوسف المنصوري', gender: 'FEMALE', dob: '2010-03-09', nat: 'ARE', home: JUMEIRAH, email: false },

  { id: RAJESH, first: 'Rajesh', middle: 'Kumar', last: 'Sharma', native: 'राजेश कुमार शर्मा', gender: 'MALE', dob: '1955-07-04', nat: 'IND', home: BANDRA, mobile: '+919820012345', lang: 'HI', job: ['RETIRED', 'Retired Civil Engineer', 'Larsen & Toubro', 'I04', 0] },
  { id: 'e0886f83-2bd3-4fdc-a249-9403a93cb872', parent: RAJESH, rel: 'SPOUSE', first: 'Sunita', last: 'Sharma', native: 'सुनीता शर्मा', gender: 'FEMALE', title: 'MRS', dob: '1958-12-15', nat: 'IND', home: BANDRA, mobile: '+919820012346', lang: 'HI' },
  { id: PRIYA, parent: RAJESH, rel: 'DAUGHTER', first: 'Priya', last: 'Iyer', native: 'प्रिया अय्यर', gender: 'FEMALE', title: 'MRS', dob: '1982-04-28', nat: 'IND', home: SINGAPORE, mobile: '+6591234567', lang: 'EN', job: ['SALARIED', 'Senior Data Engineer', 'Grab Holdings', 'I11', 14500] },
  { id: 'e85c40f7-2496-4051-96f9-5447a68e332a', parent: PRIYA, rel: 'SON', first: 'Aarav', last: 'Iyer', gender: 'MALE', dob: '2012-09-14', nat: 'IND', home: SINGAPORE, email: false },
  { id: VIKRAM, parent: RAJESH, rel: 'SON', first: 'Vikram', middle: 'Rajesh', last: 'Sharma', native: 'विक्रम राजेश शर्मा', gender: 'MALE', dob: '1985-01-11', nat: 'IND', home: BANDRA, mobile: '+919867054321', lang: 'EN', job: ['SALARIED', 'Investment Analyst', 'Kotak Mahindra Bank', 'I01', 310000] },
  { id: '7892063a-e60b-4b20-9126-d10c70df94eb', parent: VIKRAM, rel: 'DAUGHTER', first: 'Ananya', last: 'Sharma', gender: 'FEMALE', dob: '2015-06-03', nat: 'IND', home: BANDRA, email: false },
  { id: '24b2f3a1-6c0e-4f1f-9d47-1a2f7f3c5e88', parent: VIKRAM, rel: 'SON', first: 'Kabir', last: 'Sharma', gender: 'MALE', dob: '2018-02-22', nat: 'IND', home: BANDRA, email: false },

  { id: HIROSHI, first: 'Hiroshi', last: 'Tanaka', native: '田中 博', gender: 'MALE', dob: '1950-10-10', nat: 'JPN', home: SETAGAYA, mobile: '+819012345678', lang: 'JA', job: ['RETIRED', 'Retired Professor', 'Waseda University', 'I06', 0] },
  { id: 'f91bdff8-b690-4bfa-be67-cbe3dd347591', parent: HIROSHI, rel: 'SPOUSE', first: 'Keiko', last: 'Tanaka', native: '田中 恵子', gender: 'FEMALE', title: 'MRS', dob: '1953-03-27', nat: 'JPN', home: SETAGAYA, mobile: '+819012345679', lang: 'JA' },
  { id: KENJI, parent: HIROSHI, rel: 'SON', first: 'Kenji', last: 'Tanaka', native: '田中 健二', gender: 'MALE', dob: '1978-08-08', nat: 'JPN', home: SETAGAYA, mobile: '+818023456789', lang: 'JA', job: ['SALARIED', 'Automotive Engineer', 'Toyota Motor Corporation', 'I03', 620000] },
  { id: 'bd262718-1c03-4be4-85ec-3a1185d6c606', parent: KENJI, rel: 'DAUGHTER', first: 'Yui', last: 'Tanaka', native: '田中 結衣', gender: 'FEMALE', dob: '2008-01-15', nat: 'JPN', home: SETAGAYA, mobile: '+817012349876', lang: 'JA' },
  { id: '6d7209e5-c9ca-423f-84c5-819088a5c16b', parent: HIROSHI, rel: 'DAUGHTER', first: 'Akiko', last: 'Watanabe', native: '渡辺 明子', gender: 'FEMALE', title: 'MRS', dob: '1981-05-05', nat: 'JPN', home: PALO_ALTO, mobile: '+14155550143', lang: 'EN', job: ['SALARIED', 'UX Research Lead', 'Stanford Health Care', 'I07', 16800] },
  { id: SEOYEON, first: 'Seo-yeon', last: 'Kim', native: '김서연', gender: 'FEMALE', dob: '1988-07-19', nat: 'KOR', home: GANGNAM, mobile: '+821023456789', lang: 'KO', job: ['SALARIED', 'Game Designer', 'Nexon Korea', 'I11', 6200000] },
  { id: 'cab75895-eced-4cd3-a9f3-2d32af054164', parent: SEOYEON, rel: 'SPOUSE', first: 'Ji-ho', last: 'Park', native: '박지호', gender: 'MALE', dob: '1986-11-30', nat: 'KOR', home: GANGNAM, mobile: '+821098765432', lang: 'KO', job: ['SELF_EMPLOYED', 'Owner', 'Jiho Coffee Roasters', 'I10', 4800000] },

  { id: EMEKA, first: 'Chukwuemeka', middle: 'Ikenna', last: 'Okafor', gender: 'MALE', title: 'CHIEF', dob: '1952-02-18', nat: 'NGA', home: IKOYI, mobile: '+2348031234567', lang: 'EN', job: ['SELF_EMPLOYED', 'Managing Director', 'Okafor Agro Industries', 'I02', 4500000] },
  { id: '5612465c-6c80-4d03-821e-28d6f31ed163', parent: EMEKA, rel: 'SPOUSE', first: 'Ngozi', last: 'Okafor', gender: 'FEMALE', title: 'MRS', dob: '1956-06-06', nat: 'NGA', home: IKOYI, mobile: '+2348031234568', lang: 'EN' },
  { id: ADAEZE, parent: EMEKA, rel: 'DAUGHTER', first: 'Adaeze', last: 'Bello', gender: 'FEMALE', title: 'MRS', dob: '1980-09-25', nat: 'NGA', home: IKOYI, mobile: '+2348097654321', lang: 'EN', job: ['SALARIED', 'Partner', 'Aluko & Oyebode', 'I12', 2800000] },
  { id: '240845a5-9d47-44d4-b589-71a6ce899e4c', parent: ADAEZE, rel: 'SON', first: 'Oluwatobi', last: 'Bello', gender: 'MALE', dob: '2005-12-12', nat: 'NGA', home: IKOYI, mobile: '+2348165432109', lang: 'EN' },
  { id: OBINNA, parent: EMEKA, rel: 'SON', first: 'Obinna', last: 'Okafor', gender: 'MALE', dob: '1983-04-01', nat: 'NGA', home: KILIMANI, mobile: '+254712345678', lang: 'EN', job: ['SALARIED', 'Regional Operations Manager', 'Safaricom', 'I11', 650000], status: ['PENDINGKYC', 'PROOF_OF_ADDRESS_PENDING'] },
  { id: '67a01e24-0c05-4539-b85b-20da430cd0e8', parent: OBINNA, rel: 'SON', first: 'Chidi', last: 'Okafor', gender: 'MALE', dob: '2011-10-20', nat: 'NGA', home: KILIMANI, email: false },
  { id: WANJIRU, first: 'Wanjiru', last: 'Mwangi', gender: 'FEMALE', dob: '1990-03-03', nat: 'KEN', home: KILIMANI, mobile: '+254722987654', lang: 'SW', job: ['SELF_EMPLOYED', 'Founder', 'Mwangi Textiles', 'I10', 420000] },
  { id: '641467a2-afc1-4c6c-8773-8aa9f251aeba', parent: WANJIRU, rel: 'SON', first: 'Baraka', last: 'Mwangi', gender: 'MALE', dob: '2017-08-14', nat: 'KEN', home: KILIMANI, email: false },

  { id: JOAO, first: 'João', middle: 'Pedro', last: 'Silva', gender: 'MALE', dob: '1960-01-25', nat: 'BRA', home: PINHEIROS, mobile: '+5511987654321', lang: 'PT', job: ['SELF_EMPLOYED', 'Owner', 'Padaria Silva', 'I10', 18000] },
  { id: ANA, parent: JOAO, rel: 'DAUGHTER', first: 'Ana', middle: 'Beatriz', last: 'Costa', gender: 'FEMALE', title: 'MRS', dob: '1987-11-11', nat: 'BRA', home: PINHEIROS, mobile: '+5511976543210', lang: 'PT', job: ['SALARIED', 'Software Engineer', 'Nubank', 'I01', 24000] },
  { id: 'bbef5bc5-dabd-43db-ae83-d26b9e362a7e', parent: ANA, rel: 'SON', first: 'Lucas', last: 'Costa', gender: 'MALE', dob: '2014-02-28', nat: 'BRA', home: PINHEIROS, email: false },
  { id: ALEJANDRO, first: 'Alejandro', last: 'Hernández López', gender: 'MALE', dob: '1975-05-16', nat: 'MEX', home: PROVIDENCIA, mobile: '+523312345678', lang: 'ES', job: ['SALARIED', 'Plant Director', 'Tequila Cascahuín', 'I02', 95000] },
  { id: 'bd5a5c27-8995-422b-8c95-bea6f04fe41d', parent: ALEJANDRO, rel: 'DAUGHTER', first: 'Valentina', last: 'Hernández', gender: 'FEMALE', dob: '2003-09-09', nat: 'MEX', home: MALASANA, mobile: '+34612345678', lang: 'ES', job: ['STUDENT', 'Student', 'Universidad Complutense de Madrid', 'I06', 0] },
  { id: '2e20b985-f6d1-4f66-b89e-5f63cbc4c00e', parent: ALEJANDRO, rel: 'SON', first: 'Diego', last: 'Hernández', gender: 'MALE', dob: '2006-12-24', nat: 'MEX', home: PROVIDENCIA, mobile: '+523398765432', lang: 'ES' },

  { id: KLAUS, first: 'Klaus', last: 'Müller', gender: 'MALE', dob: '1958-04-30', nat: 'DEU', home: SCHWABING, mobile: '+4915112345678', lang: 'DE', job: ['SALARIED', 'Head of Procurement', 'Siemens AG', 'I03', 9800] },
  { id: '498362b3-0829-42b6-97f5-3f511d3665f5', parent: KLAUS, rel: 'DAUGHTER', first: 'Sophie', last: 'Müller', gender: 'FEMALE', dob: '1990-07-07', nat: 'DEU', home: PARIS, mobile: '+33612345678', lang: 'FR', job: ['SALARIED', 'Sommelier', 'Le Chateaubriand', 'I10', 3900] },
  { id: AGNIESZKA, first: 'Agnieszka', last: 'Kowalska', gender: 'FEMALE', dob: '1984-10-02', nat: 'POL', home: MOKOTOW, mobile: '+48501234567', lang: 'PL', job: ['SALARIED', 'QA Lead', 'CD Projekt', 'I11', 21000] },
  { id: '9362c60d-d261-4b6e-a4f4-a80d7f2ff3d7', parent: AGNIESZKA, rel: 'SON', first: 'Jan', last: 'Kowalski', gender: 'MALE', dob: '2012-05-21', nat: 'POL', home: MOKOTOW, email: false },
  { id: '04f8c7eb-af8f-48b2-bac2-ffb519c8413a', first: 'Siobhán', last: "O'Brien", gender: 'FEMALE', dob: '1993-03-17', nat: 'IRL', home: DUBLIN, mobile: '+353871234567', lang: 'EN', job: ['SALARIED', 'Barrister', 'The Law Library', 'I12', 7200] },
  { id: 'a50c8621-6f37-42f9-baa1-e290b4707583', first: 'Fatma', last: 'Yılmaz', gender: 'FEMALE', dob: '1979-08-30', nat: 'TUR', home: KADIKOY, mobile: '+905321234567', lang: 'TR', job: ['SALARIED', 'Pharmacist', 'Moda Eczanesi', 'I07', 68000], status: ['PENDINGIDVERIFICATION', 'ID_DOCUMENT_EXPIRED'] },
  { id: '4536f7b0-1363-404d-94a5-1cb449d35625', first: 'Mohamed', middle: 'Adel', last: 'Abdelrahman', native: 'محمد عادل عبد الرحمن', gender: 'MALE', dob: '1968-12-05', nat: 'EGY', home: ZAMALEK, mobile: '+201001234567', lang: 'AR', job: ['SELF_EMPLOYED', 'Importer', 'Nile Delta Imports', 'I09', 150000], status: ['SUSPENDED', 'CARD_FRAUD_REVIEW'], touched: 3 },

  { id: GULF_HORIZON, type: 'BUSINESS', first: 'Gulf Horizon Trading LLC', nat: 'ARE', home: BUSINESS_BAY, phone: '+97144298100', email: 'finance@gulfhorizon.example.com', lang: 'EN' },
  { id: '9e020e0e-2559-41a7-86c2-4325bb101e47', parent: GULF_HORIZON, type: 'DIRECTOR', rel: 'DIRECTOR', first: 'Layla', last: 'Haddad', native: 'ليلى حداد', gender: 'FEMALE', dob: '1977-01-09', nat: 'LBN', home: MARINA, mobile: '+971504567891', lang: 'EN', job: ['SALARIED', 'Managing Director', 'Gulf Horizon Trading LLC', 'I09', 80000] },
  { id: '7da3bc7f-7b3b-47db-aebe-fa77e1a3926c', parent: GULF_HORIZON, type: 'DIRECTOR', rel: 'DIRECTOR', first: 'Arjun', last: 'Mehta', gender: 'MALE', dob: '1982-06-14', nat: 'IND', home: BUSINESS_BAY, mobile: '+971504567892', lang: 'EN', job: ['SALARIED', 'Finance Director', 'Gulf Horizon Trading LLC', 'I09', 65000] },
  { id: '3af03e8c-01cf-4e93-911e-73097d6e7b24', parent: GULF_HORIZON, type: 'DIRECTOR', rel: 'DIRECTOR', first: 'Thomas', middle: 'Edward', last: 'Whitfield', gender: 'MALE', dob: '1969-11-27', nat: 'GBR', home: JUMEIRAH, mobile: '+971504567893', lang: 'EN', job: ['SALARIED', 'Non-Executive Director', 'Gulf Horizon Trading LLC', 'I09', 30000] },
];
