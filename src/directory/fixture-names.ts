/** Name pools for synthetic tenants: plain ASCII, so they make valid user principal names. */

export const FIRST_NAMES = [
  'Adele', 'Alex', 'Allan', 'Amara', 'Anika', 'Ben', 'Bianca', 'Carlos', 'Chen', 'Chloe',
  'Daniel', 'Diego', 'Elena', 'Emeka', 'Emma', 'Fatima', 'Felix', 'Grace', 'Grady', 'Hana',
  'Hugo', 'Ines', 'Isaiah', 'Ivan', 'Jana', 'Johanna', 'Joni', 'Jun', 'Kai', 'Karin',
  'Lars', 'Lee', 'Leila', 'Lidia', 'Lucas', 'Lynne', 'Maria', 'Megan', 'Mei', 'Miriam',
  'Mohammed', 'Nadia', 'Nestor', 'Nina', 'Noah', 'Olga', 'Omar', 'Patti', 'Pedro', 'Pradeep',
  'Priya', 'Quinn', 'Rafael', 'Rosa', 'Sakura', 'Samir', 'Sara', 'Sven', 'Tariq', 'Tomas',
  'Uma', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zoe',
] as const;

export const LAST_NAMES = [
  'Abara', 'Andersen', 'Archie', 'Bauer', 'Bowen', 'Castro', 'Chowdhury', 'Costa', 'Dubois', 'Eriksson',
  'Fernandez', 'Fischer', 'Garcia', 'Graham', 'Gu', 'Gupta', 'Haddad', 'Holloway', 'Ito', 'Jensen',
  'Kim', 'Kowalski', 'Langer', 'Lopez', 'Lorenz', 'Mahlangu', 'Martin', 'Moreau', 'Nakamura', 'Nguyen',
  'Novak', 'Okafor', 'Olsen', 'Patel', 'Petrov', 'Quinn', 'Rahman', 'Robbins', 'Rossi', 'Santos',
  'Schmidt', 'Sherman', 'Siciliani', 'Silva', 'Singh', 'Suzuki', 'Tanaka', 'Vance', 'Varga', 'Wang',
  'Wilber', 'Wilke', 'Yilmaz', 'Zhang',
] as const;

export const ORGANISATIONS = [
  'Contoso', 'Fabrikam', 'Northwind', 'Tailspin', 'Woodgrove', 'Litware', 'Adatum', 'Proseware',
  'Wingtip', 'Fourth Coffee', 'Alpine Ski House', 'Lamna Healthcare',
] as const;

/** Partner domains that guests come from. */
export const PARTNER_DOMAINS = ['partner.com', 'fabrikam.com', 'gmail.com', 'outlook.com', 'example.org'] as const;
