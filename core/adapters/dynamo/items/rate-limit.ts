/** Request count of one hashed scope + subject in one fixed window (`window` × `windowSeconds`). */
export const rateWindowKey = (hashedSubject: string, windowSeconds: number, window: number) => ({
  pk: `RATE#${hashedSubject}#${windowSeconds}#${window}`,
  sk: 'RATE',
});
