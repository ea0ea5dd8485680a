export type ScanProfile = 'quick' | 'standard' | 'thorough';

/** The services attackers look for first: remote access, mail, web, databases, container APIs. */
const QUICK = [
  21, 22, 23, 25, 53, 80, 110, 143, 443, 445, 993, 995, 2375, 3306, 3389, 5432, 6379, 8000, 8080, 8443,
];

/** About a hundred common service ports (in the spirit of nmap's top 100, plus data stores). */
const STANDARD = [
  7, 9, 13, 21, 22, 23, 25, 26, 37, 53, 79, 80, 81, 88, 106, 110, 111, 113, 119, 135, 139, 143, 144, 179, 199,
  389, 427, 443, 444, 445, 465, 513, 514, 515, 543, 544, 548, 554, 587, 631, 646, 873, 990, 993, 995, 1025,
  1026, 1027, 1028, 1029, 1110, 1433, 1521, 1720, 1723, 1755, 1900, 2000, 2001, 2049, 2121, 2375, 2376, 2717,
  3000, 3128, 3306, 3389, 3986, 4899, 5000, 5009, 5051, 5060, 5101, 5190, 5357, 5432, 5631, 5666, 5800, 5900,
  6000, 6001, 6379, 6443, 6646, 7070, 8000, 8008, 8009, 8080, 8081, 8443, 8888, 9100, 9200, 9999, 10000,
  11211, 27017, 32768, 49152, 49153, 49154,
];

/** High ports worth a look on a thorough scan: admin consoles, brokers, orchestrators, data stores. */
const COMMON_HIGH = [
  1080, 1194, 1883, 2082, 2083, 2086, 2087, 2181, 2222, 2379, 2380, 3001, 4369, 4443, 4848, 5001, 5044, 5601,
  5672, 5984, 6666, 6667, 7001, 7443, 7474, 8001, 8002, 8086, 8088, 8089, 8161, 8200, 8500, 8880, 9000, 9042,
  9090, 9092, 9093, 9300, 9418, 9443, 10250, 15672, 28017, 50000, 50070,
];

const WELL_KNOWN = Array.from({ length: 1024 }, (_, index) => index + 1);

function sortedUnique(...lists: number[][]): readonly number[] {
  return Object.freeze([...new Set(lists.flat())].sort((a, b) => a - b));
}

/** The ports each scan profile probes, ascending. */
export const PROFILE_PORTS: Readonly<Record<ScanProfile, readonly number[]>> = Object.freeze({
  quick: sortedUnique(QUICK),
  standard: sortedUnique(STANDARD),
  thorough: sortedUnique(WELL_KNOWN, STANDARD, COMMON_HIGH),
});
