/** A country the generator places people in: its dialling prefix and some real places. */
export interface CountryInfo {
  code: string;
  /** Mobile prefix including the country code, and how many digits follow it. */
  mobile: [prefix: string, digits: number];
  language: string;
  /** [city, state, postal code]. */
  cities: [string, string, string][];
  streets: string[];
}

/** Names and countries of one world region. */
export interface Region {
  male: string[];
  female: string[];
  last: string[];
  countries: CountryInfo[];
}

/** The regions the large-hierarchy generator draws from. */
export const REGIONS: readonly Region[] = [
  {
    male: ['Ahmed', 'Omar', 'Khalid', 'Yousef', 'Hamad', 'Saeed', 'Tariq', 'Faisal', 'Karim', 'Ziad'],
    female: ['Fatima', 'Aisha', 'Mariam', 'Noora', 'Layla', 'Huda', 'Salma', 'Reem', 'Dana', 'Lina'],
    last: ['Al Mansouri', 'Al Hashimi', 'Al Nuaimi', 'Haddad', 'Khoury', 'Al Qasimi', 'Nasser', 'Saleh'],
    countries: [
      {
        code: 'ARE',
        mobile: ['+97150', 7],
        language: 'AR',
        cities: [
          ['Dubai', 'Dubai', '00000'],
          ['Abu Dhabi', 'Abu Dhabi', '00000'],
        ],
        streets: ['Al Wasl Road', 'Sheikh Zayed Road', 'Al Khaleej Street'],
      },
      {
        code: 'SAU',
        mobile: ['+96650', 7],
        language: 'AR',
        cities: [
          ['Riyadh', 'Riyadh', '11564'],
          ['Jeddah', 'Makkah', '21577'],
        ],
        streets: ['King Fahd Road', 'Tahlia Street', 'Olaya Street'],
      },
      {
        code: 'JOR',
        mobile: ['+96279', 7],
        language: 'AR',
        cities: [['Amman', 'Amman', '11118']],
        streets: ['Rainbow Street', 'Mecca Street'],
      },
    ],
  },
  {
    male: ['Rahul', 'Arjun', 'Vikram', 'Imran', 'Sanjay', 'Aditya', 'Farhan', 'Rohan', 'Kiran', 'Nikhil'],
    female: ['Priya', 'Ananya', 'Sunita', 'Ayesha', 'Kavya', 'Meera', 'Sana', 'Divya', 'Nisha', 'Pooja'],
    last: ['Sharma', 'Patel', 'Iyer', 'Khan', 'Reddy', 'Chowdhury', 'Nair', 'Gupta', 'Siddiqui', 'Das'],
    countries: [
      {
        code: 'IND',
        mobile: ['+9198', 8],
        language: 'HI',
        cities: [
          ['Mumbai', 'Maharashtra', '400050'],
          ['Bengaluru', 'Karnataka', '560038'],
          ['Delhi', 'Delhi', '110017'],
        ],
        streets: ['MG Road', 'Linking Road', 'Residency Road'],
      },
      {
        code: 'PAK',
        mobile: ['+92300', 7],
        language: 'UR',
        cities: [
          ['Karachi', 'Sindh', '75500'],
          ['Lahore', 'Punjab', '54000'],
        ],
        streets: ['Shahrah-e-Faisal', 'Mall Road'],
      },
      {
        code: 'BGD',
        mobile: ['+88017', 8],
        language: 'BN',
        cities: [['Dhaka', 'Dhaka', '1212']],
        streets: ['Gulshan Avenue', 'Road 27'],
      },
    ],
  },
  {
    male: ['Lukas', 'Matteo', 'Pierre', 'Jan', 'Oliver', 'Hugo', 'Luca', 'Mateusz', 'Erik', 'Sean'],
    female: ['Sophie', 'Emma', 'Giulia', 'Anna', 'Chloé', 'Zofia', 'Ingrid', 'Siobhán', 'Clara', 'Elena'],
    last: ['Müller', 'Rossi', 'Dubois', 'Kowalski', 'Schmidt', 'Andersson', "O'Brien", 'García', 'Novak', 'Jensen'],
    countries: [
      {
        code: 'DEU',
        mobile: ['+49151', 8],
        language: 'DE',
        cities: [
          ['Berlin', 'Berlin', '10115'],
          ['München', 'Bayern', '80331'],
        ],
        streets: ['Hauptstraße', 'Schillerstraße'],
      },
      {
        code: 'FRA',
        mobile: ['+336', 8],
        language: 'FR',
        cities: [
          ['Paris', 'Île-de-France', '75011'],
          ['Lyon', 'Auvergne-Rhône-Alpes', '69002'],
        ],
        streets: ['Rue de la Paix', 'Avenue Jean Jaurès'],
      },
      {
        code: 'ITA',
        mobile: ['+39347', 7],
        language: 'IT',
        cities: [
          ['Milano', 'Lombardia', '20121'],
          ['Roma', 'Lazio', '00184'],
        ],
        streets: ['Via Roma', 'Corso Buenos Aires'],
      },
      {
        code: 'POL',
        mobile: ['+48501', 6],
        language: 'PL',
        cities: [['Warszawa', 'Mazowieckie', '00-001']],
        streets: ['ul. Marszałkowska', 'ul. Puławska'],
      },
    ],
  },
  {
    male: ['Hiroshi', 'Kenji', 'Wei', 'Jun', 'Min-jun', 'Takeshi', 'Hao', 'Ji-ho', 'Yuto', 'Minh'],
    female: ['Yui', 'Keiko', 'Mei', 'Seo-yeon', 'Hana', 'Xiu', 'Aiko', 'Ji-woo', 'Lan', 'Sakura'],
    last: ['Tanaka', 'Suzuki', 'Wang', 'Li', 'Kim', 'Park', 'Nguyen', 'Chen', 'Sato', 'Tran'],
    countries: [
      {
        code: 'JPN',
        mobile: ['+8190', 8],
        language: 'JA',
        cities: [
          ['Tokyo', 'Tokyo', '150-0001'],
          ['Osaka', 'Osaka', '530-0001'],
        ],
        streets: ['Omotesando', 'Midosuji'],
      },
      {
        code: 'KOR',
        mobile: ['+8210', 8],
        language: 'KO',
        cities: [
          ['Seoul', 'Seoul', '06236'],
          ['Busan', 'Busan', '48058'],
        ],
        streets: ['Teheran-ro', 'Haeundae-ro'],
      },
      {
        code: 'SGP',
        mobile: ['+659', 7],
        language: 'EN',
        cities: [['Singapore', 'Singapore', '238859']],
        streets: ['Orchard Road', 'Holland Grove Road'],
      },
      {
        code: 'VNM',
        mobile: ['+8490', 7],
        language: 'VI',
        cities: [['Hà Nội', 'Hà Nội', '100000']],
        streets: ['Phố Huế', 'Đường Láng'],
      },
    ],
  },
  {
    male: ['Chukwuemeka', 'Kwame', 'Obinna', 'Baraka', 'Tendai', 'Sipho', 'Kofi', 'Oluwaseun', 'Juma', 'Thabo'],
    female: ['Ngozi', 'Amara', 'Wanjiru', 'Abena', 'Zanele', 'Chiamaka', 'Adaeze', 'Nia', 'Imani', 'Thandiwe'],
    last: ['Okafor', 'Mensah', 'Mwangi', 'Dlamini', 'Bello', 'Adeyemi', 'Otieno', 'Nkosi', 'Boateng', 'Moyo'],
    countries: [
      {
        code: 'NGA',
        mobile: ['+234803', 7],
        language: 'EN',
        cities: [
          ['Lagos', 'Lagos', '106104'],
          ['Abuja', 'FCT', '900211'],
        ],
        streets: ['Awolowo Road', 'Adeola Odeku Street'],
      },
      {
        code: 'KEN',
        mobile: ['+2547', 8],
        language: 'SW',
        cities: [
          ['Nairobi', 'Nairobi County', '00100'],
          ['Mombasa', 'Mombasa County', '80100'],
        ],
        streets: ['Ngong Road', 'Moi Avenue'],
      },
      {
        code: 'GHA',
        mobile: ['+23324', 7],
        language: 'EN',
        cities: [['Accra', 'Greater Accra', 'GA-039']],
        streets: ['Oxford Street', 'Liberation Road'],
      },
      {
        code: 'ZAF',
        mobile: ['+2782', 7],
        language: 'EN',
        cities: [
          ['Johannesburg', 'Gauteng', '2196'],
          ['Cape Town', 'Western Cape', '8001'],
        ],
        streets: ['Jan Smuts Avenue', 'Long Street'],
      },
    ],
  },
  {
    male: ['João', 'Alejandro', 'Diego', 'Mateo', 'Santiago', 'Lucas', 'Gabriel', 'Andrés', 'Rafael', 'Tomás'],
    female: ['Ana', 'Valentina', 'Camila', 'Isabela', 'Lucía', 'Mariana', 'Sofía', 'Beatriz', 'Daniela', 'Gabriela'],
    last: ['Silva', 'Hernández', 'Costa', 'Rodríguez', 'Santos', 'Gómez', 'Pereira', 'Martínez', 'Oliveira', 'Torres'],
    countries: [
      {
        code: 'BRA',
        mobile: ['+55119', 8],
        language: 'PT',
        cities: [
          ['São Paulo', 'SP', '05422-001'],
          ['Rio de Janeiro', 'RJ', '22050-002'],
        ],
        streets: ['Rua Augusta', 'Avenida Paulista'],
      },
      {
        code: 'MEX',
        mobile: ['+5255', 8],
        language: 'ES',
        cities: [
          ['Ciudad de México', 'CDMX', '06700'],
          ['Guadalajara', 'Jalisco', '44630'],
        ],
        streets: ['Avenida Reforma', 'Calle Madero'],
      },
      {
        code: 'COL',
        mobile: ['+57310', 7],
        language: 'ES',
        cities: [
          ['Bogotá', 'Cundinamarca', '110111'],
          ['Medellín', 'Antioquia', '050021'],
        ],
        streets: ['Carrera 7', 'Calle 93'],
      },
      {
        code: 'ARG',
        mobile: ['+54911', 8],
        language: 'ES',
        cities: [
          ['Buenos Aires', 'CABA', 'C1425'],
          ['Córdoba', 'Córdoba', 'X5000'],
        ],
        streets: ['Avenida Santa Fe', 'Calle Florida'],
      },
    ],
  },
];

/** Employment the generator hands to adults: type, title, industry code. */
export const JOBS: readonly [string, string, string][] = [
  ['SALARIED', 'Software Engineer', 'I11'],
  ['SALARIED', 'Accountant', 'I01'],
  ['SALARIED', 'Nurse', 'I07'],
  ['SALARIED', 'Teacher', 'I06'],
  ['SELF_EMPLOYED', 'Shop Owner', 'I10'],
  ['SELF_EMPLOYED', 'Consultant', 'I12'],
  ['SALARIED', 'Civil Engineer', 'I04'],
  ['SALARIED', 'Logistics Coordinator', 'I09'],
];
