/**
 * The last instant of a UTC day ("YYYY-MM-DD"). Azure's dated tables name the last day a thing
 * still holds (an end of life, an end of support), so it holds until that day's end.
 */
export function endOfDay(day: string): Date {
  return new Date(`${day}T23:59:59.999Z`);
}
