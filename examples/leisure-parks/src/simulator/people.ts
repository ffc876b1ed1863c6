import type { Rng } from './random.ts';
import type { Commune } from './geography.ts';

const FEMALE_NAMES = [
  'Marie', 'Camille', 'Léa', 'Manon', 'Chloé', 'Emma', 'Inès', 'Sarah', 'Julie', 'Laura', 'Pauline', 'Mathilde',
  'Clara', 'Lucie', 'Anaïs', 'Océane', 'Élodie', 'Aurélie', 'Céline', 'Sophie', 'Nathalie', 'Isabelle', 'Sandrine',
  'Stéphanie', 'Émilie', 'Charlotte', 'Juliette', 'Louise', 'Alice', 'Zoé', 'Margaux', 'Jeanne', 'Élise', 'Agathe',
  'Hélène', 'Valérie', 'Christine', 'Audrey', 'Morgane', 'Noémie', 'Maëlle', 'Romane', 'Lola', 'Anne', 'Claire',
] as const;

const MALE_NAMES = [
  'Thomas', 'Nicolas', 'Julien', 'Maxime', 'Antoine', 'Alexandre', 'Hugo', 'Lucas', 'Théo', 'Louis', 'Quentin',
  'Romain', 'Pierre', 'Kévin', 'Mathieu', 'Guillaume', 'Sébastien', 'Olivier', 'Christophe', 'Frédéric', 'Laurent',
  'Stéphane', 'David', 'Jérôme', 'Benoît', 'François', 'Arnaud', 'Vincent', 'Baptiste', 'Clément', 'Paul', 'Arthur',
  'Gabriel', 'Raphaël', 'Léo', 'Nathan', 'Jules', 'Adrien', 'Florian', 'Damien', 'Cédric', 'Yann', 'Loïc', 'Mehdi', 'Karim',
] as const;

const LAST_NAMES = [
  'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon',
  'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont',
  'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Lefebvre', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin',
  'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément', 'Morin',
  'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson', 'Marchand', 'Duval', 'Denis', 'Dumont', 'Marie',
  'Lemaire', 'Noël', 'Meyer', 'Dufour', 'Meunier', 'Brun', 'Blanchard', 'Giraud', 'Joly', 'Rivière', 'Lucas', 'Brunet',
  'Gaillard', 'Barbier', 'Arnaud', 'Martinez', 'Gérard', 'Roche', 'Renard', 'Schmitt', 'Roy', 'Leroux', 'Colin',
  'Vidal', 'Caron', 'Picard', 'Roger', 'Fabre', 'Aubert', 'Lemoine', 'Renaud', 'Dumas', 'Lacroix', 'Olivier', 'Philippe',
  'Bourgeois', 'Pierre', 'Benoît', 'Rey', 'Leclerc', 'Payet', 'Rolland', 'Leclercq', 'Guillaume', 'Lecomte', 'Lopez',
  'Jean', 'Dupuy', 'Guillot', 'Hubert', 'Berger', 'Carpentier', 'Sanchez', 'Dupuis', 'Moulin', 'Louis', 'Deschamps',
  'Huet', 'Vasseur', 'Perez', 'Boucher', 'Fleury', 'Royer', 'Klein', 'Jacquet', 'Adam', 'Paris', 'Poirier', 'Marty',
  'Aubry', 'Guyot', 'Carré', 'Charles', 'Renault', 'Charpentier', 'Ménard', 'Maillard', 'Baron', 'Bertin', 'Bailly',
  'Hervé', 'Schneider', 'Fernandez', 'Le Gall', 'Collet', 'Léger', 'Bouvier', 'Julien', 'Prévost', 'Millet', 'Perrot',
] as const;

const STREETS = [
  'rue de la République', 'rue Victor Hugo', 'avenue Jean Jaurès', 'rue Jules Ferry', 'rue Pasteur', 'rue de la Gare',
  'avenue du Général de Gaulle', 'place de la Mairie', 'rue des Écoles', 'chemin des Vignes', 'allée des Tilleuls',
  'rue du Moulin', 'impasse des Lilas', 'boulevard Gambetta', 'rue Émile Zola', 'rue de l’Église', 'route de Lyon',
  'rue Nationale', 'avenue de la Libération', 'rue des Acacias', 'rue du Stade', 'chemin du Lac', 'rue Voltaire',
  'allée des Mimosas', 'rue Louis Pasteur', 'rue de la Paix', 'quai des Bateliers', 'rue Saint-Jean', 'rue du Château',
] as const;

const DOMAINS = [
  ['gmail.com', 30], ['orange.fr', 14], ['hotmail.fr', 10], ['yahoo.fr', 7], ['free.fr', 8], ['sfr.fr', 5],
  ['laposte.net', 5], ['outlook.fr', 6], ['wanadoo.fr', 4], ['icloud.com', 5], ['hotmail.com', 3], ['live.fr', 3],
] as const;

/** First landline digit by département: 01 Île-de-France, 02 north-west, 03 north-east, 04 south-east, 05 south-west. */
const LANDLINE_PREFIX: Readonly<Record<string, string>> = {
  '75': '1', '77': '1', '78': '1', '91': '1', '92': '1', '93': '1', '94': '1', '95': '1',
  '44': '2', '35': '2', '49': '2', '37': '2', '45': '2',
  '59': '3', '67': '3', '68': '3', '54': '3', '57': '3', '88': '3', '21': '3',
  '33': '5', '40': '5', '31': '5',
};

export interface Person {
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string;
}

/** An adult who books sessions: 18 to 72 years old on `onDate` (`YYYY-MM-DD`). */
export function makePerson(rng: Rng, onDate: string): Person {
  const female = rng.chance(0.48);
  const year = Number(onDate.slice(0, 4)) - rng.int(18, 72) - 1;
  const month = rng.int(1, 12);
  const day = rng.int(1, month === 2 ? 28 : 30);
  return {
    firstName: female ? rng.pick(FEMALE_NAMES) : rng.pick(MALE_NAMES),
    lastName: rng.pick(LAST_NAMES),
    birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  };
}

/** Lower-case ASCII for an e-mail local part: `Léa Le Gall` → `lea`, `legall`. */
function slug(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');
}

/** An e-mail address as people choose them; a few are typed with capitals. */
export function makeEmail(rng: Rng, person: Person): string {
  const f = slug(person.firstName);
  const l = slug(person.lastName);
  const yy = person.birthDate.slice(2, 4);
  const local = rng.weighted(
    [
      [`${f}.${l}`, 40], [`${f[0]}${l}`, 15], [`${f}${l}${yy}`, 12], [`${l}.${f}`, 8], [`${f}_${l}`, 6],
      [`${f}.${l}${rng.int(1, 99)}`, 12], [`${f}${rng.int(100, 999)}`, 7],
    ] as const,
    ([, w]) => w,
  )[0];
  const domain = rng.weighted(DOMAINS, ([, w]) => w)[0];
  const email = `${local}@${domain}`;
  if (!rng.chance(0.03)) return email;
  const [name, host] = [email.slice(0, email.indexOf('@')), email.slice(email.indexOf('@') + 1)];
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}@${host.charAt(0).toUpperCase()}${host.slice(1)}`;
}

/** A French phone number in one of the formats people type. */
export function makePhone(rng: Rng, insee: string): string {
  const landline = LANDLINE_PREFIX[insee.slice(0, 2)] ?? '4';
  const first = rng.chance(0.85) ? (rng.chance(0.7) ? '6' : '7') : landline;
  const pairs = Array.from({ length: 4 }, () => String(rng.int(0, 99)).padStart(2, '0'));
  const format = rng.next();
  if (format < 0.5) return `0${first} ${pairs.join(' ')}`;
  if (format < 0.7) return `0${first}${pairs.join('')}`;
  if (format < 0.85) return `+33 ${first} ${pairs.join(' ')}`;
  if (format < 0.95) return `+33${first}${pairs.join('')}`;
  return `0${first}.${pairs.join('.')}`;
}

export interface PostalAddress {
  readonly line: string;
  readonly postalCode: string;
  readonly city: string;
  readonly insee: string;
}

export function makeAddress(rng: Rng, commune: Commune): PostalAddress {
  const number = rng.int(1, 140);
  const suffix = rng.chance(0.06) ? ' bis' : '';
  const street = rng.pick(STREETS);
  const line = rng.chance(0.08) ? `Résidence les Pins, ${number}${suffix} ${street}` : `${number}${suffix} ${street}`;
  return { line, postalCode: rng.pick(commune.postalCodes), city: commune.name, insee: commune.insee };
}
