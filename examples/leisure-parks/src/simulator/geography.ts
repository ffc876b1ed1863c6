/**
 * Real French communes used by the simulator: where the parks are and where customers live. Codes,
 * names and postal codes match `@etalab/decoupage-administratif` (checked by geography.test.ts).
 */

export interface Commune {
  /** INSEE code (code officiel géographique). */
  readonly insee: string;
  readonly name: string;
  readonly postalCodes: readonly string[];
  /** Relative share of customers coming from this commune within its list. */
  readonly weight: number;
}

const c = (insee: string, name: string, postalCodes: readonly string[], weight: number): Commune => ({ insee, name, postalCodes, weight });

/** Communes from which most customers of each park come (its catchment area), keyed by the park's key. */
export const CATCHMENTS: Readonly<Record<string, readonly Commune[]>> = {
  annecy: [
    c('74010', 'Annecy', ['74000', '74370', '74600', '74940', '74960'], 10),
    c('74267', 'Sevrier', ['74320'], 1),
    c('74225', 'Rumilly', ['74150'], 2),
    c('74281', 'Thonon-les-Bains', ['74200'], 2),
    c('74012', 'Annemasse', ['74100'], 3),
    c('74081', 'Cluses', ['74300'], 2),
    c('73065', 'Chambéry', ['73000'], 2),
  ],
  'aix-les-bains': [
    c('73008', 'Aix-les-Bains', ['73100'], 6),
    c('73051', 'Le Bourget-du-Lac', ['73370'], 1),
    c('73065', 'Chambéry', ['73000'], 6),
    c('38185', 'Grenoble', ['38000', '38100'], 5),
    c('38563', 'Voiron', ['38500'], 2),
    c('73011', 'Albertville', ['73200'], 2),
  ],
  vaires: [
    c('77479', 'Vaires-sur-Marne', ['77360'], 2),
    c('75056', 'Paris', ['75011', '75012', '75013', '75015', '75017', '75018', '75019', '75020'], 10),
    c('77108', 'Chelles', ['77500'], 4),
    c('77284', 'Meaux', ['77100'], 3),
    c('77468', 'Torcy', ['77200'], 2),
    c('93051', 'Noisy-le-Grand', ['93160'], 4),
    c('93048', 'Montreuil', ['93100'], 4),
    c('94028', 'Créteil', ['94000'], 3),
  ],
  cergy: [
    c('95127', 'Cergy', ['95000', '95800'], 5),
    c('95500', 'Pontoise', ['95000', '95300'], 3),
    c('95018', 'Argenteuil', ['95100'], 4),
    c('78551', 'Saint-Germain-en-Laye', ['78100', '78112'], 3),
    c('78646', 'Versailles', ['78000'], 3),
    c('78172', 'Conflans-Sainte-Honorine', ['78700'], 2),
    c('75056', 'Paris', ['75008', '75015', '75016', '75116', '75017'], 6),
  ],
  biscarrosse: [
    c('40046', 'Biscarrosse', ['40600'], 3),
    c('33063', 'Bordeaux', ['33000', '33100', '33200', '33300', '33800'], 8),
    c('33009', 'Arcachon', ['33120'], 2),
    c('40192', 'Mont-de-Marsan', ['40000'], 3),
    c('40184', 'Mimizan', ['40200'], 1),
    c('40217', 'Parentis-en-Born', ['40160'], 1),
    c('33281', 'Mérignac', ['33700'], 3),
    c('33318', 'Pessac', ['33600'], 3),
  ],
  'serre-poncon': [
    c('05164', 'Savines-le-Lac', ['05160'], 1),
    c('05061', 'Gap', ['05000'], 5),
    c('05046', 'Embrun', ['05200'], 2),
    c('13055', 'Marseille', ['13001', '13004', '13006', '13007', '13008', '13009', '13012'], 6),
    c('13001', 'Aix-en-Provence', ['13080', '13090', '13100', '13290', '13540'], 4),
    c('05023', 'Briançon', ['05100'], 2),
    c('04209', 'Sisteron', ['04200'], 1),
  ],
  gerardmer: [
    c('88196', 'Gérardmer', ['88400'], 2),
    c('88160', 'Épinal', ['88000'], 4),
    c('54395', 'Nancy', ['54000', '54100'], 5),
    c('88413', 'Saint-Dié-des-Vosges', ['88100'], 2),
    c('88383', 'Remiremont', ['88200'], 1),
    c('68066', 'Colmar', ['68000'], 3),
    c('67482', 'Strasbourg', ['67000', '67100', '67200'], 5),
    c('57463', 'Metz', ['57000', '57050', '57070'], 3),
  ],
  'miribel-jonage': [
    c('69256', 'Vaulx-en-Velin', ['69120'], 4),
    c('69123', 'Lyon', ['69001', '69002', '69003', '69004', '69005', '69006', '69007', '69008', '69009'], 12),
    c('69266', 'Villeurbanne', ['69100'], 5),
    c('69029', 'Bron', ['69500'], 2),
    c('69259', 'Vénissieux', ['69200'], 2),
    c('69282', 'Meyzieu', ['69330'], 2),
    c('69290', 'Saint-Priest', ['69800'], 2),
    c('01053', 'Bourg-en-Bresse', ['01000'], 2),
  ],
};

/** Large cities holiday-makers come from, whichever park they visit. */
export const VISITOR_ORIGINS: readonly Commune[] = [
  c('75056', 'Paris', ['75001', '75003', '75005', '75006', '75007', '75009', '75010', '75014', '75015', '75016', '75017'], 12),
  c('69123', 'Lyon', ['69002', '69003', '69006', '69007'], 4),
  c('13055', 'Marseille', ['13005', '13008', '13013'], 3),
  c('59350', 'Lille', ['59000', '59160', '59800'], 3),
  c('44109', 'Nantes', ['44000', '44100', '44300'], 3),
  c('31555', 'Toulouse', ['31000', '31200', '31400', '31500'], 3),
  c('35238', 'Rennes', ['35000', '35200', '35700'], 2),
  c('34172', 'Montpellier', ['34000', '34070', '34090'], 2),
  c('06088', 'Nice', ['06000', '06100', '06200', '06300'], 2),
  c('67482', 'Strasbourg', ['67000', '67100'], 2),
  c('37261', 'Tours', ['37000', '37100', '37200'], 1),
  c('49007', 'Angers', ['49000', '49100'], 1),
  c('21231', 'Dijon', ['21000'], 1),
  c('45234', 'Orléans', ['45000', '45100'], 1),
];
