import { cardNumberValid, ibanLength, ibanValid, luhnValid, ssnValid } from '../../src/privacy/checksums';

describe('luhnValid', () => {
  it.each(['4111111111111111', '79927398713', '0'])('accepts %s', (n) => expect(luhnValid(n)).toBe(true));
  it.each(['4111111111111112', '79927398710', '', '41a1'])('rejects %s', (n) => expect(luhnValid(n)).toBe(false));
});

describe('cardNumberValid', () => {
  it.each(['4111111111111111', '5500000000000004', '378282246310005', '2221000000000009', '6011000990139424'])(
    'accepts the test card %s',
    (n) => expect(cardNumberValid(n)).toBe(true),
  );
  it.each([
    ['a Luhn-valid number with an unissued prefix', '1234567812345670'],
    ['a Mastercard 2-series prefix out of range', '2000000000000008'],
    ['one digit repeated', '0000000000000000'],
    ['too short', '411111111111'],
    ['a bad check digit', '4111111111111112'],
  ])('rejects %s', (_why, n) => expect(cardNumberValid(n)).toBe(false));
});

describe('ibanValid', () => {
  it.each(['GB82WEST12345698765432', 'DE89370400440532013000', 'de89370400440532013000', 'NL91ABNA0417164300'])('accepts %s', (n) =>
    expect(ibanValid(n)).toBe(true),
  );
  it.each([
    ['a wrong check digit', 'GB83WEST12345698765432'],
    ['a wrong length for the country', 'DE8937040044053201300'],
    ['an unknown country', 'XX89370400440532013000'],
    ['spaces (compact form expected)', 'DE89 3704 0044 0532 0130 00'],
  ])('rejects %s', (_why, n) => expect(ibanValid(n)).toBe(false));
  it('knows the length of a country', () => {
    expect(ibanLength('FR')).toBe(27);
    expect(ibanLength('toString')).toBeUndefined();
  });
});

describe('ssnValid', () => {
  it('accepts a number that follows the issuance rules', () => expect(ssnValid('123456788')).toBe(true));
  it.each([
    ['area 000', '000123456'],
    ['area 666', '666123456'],
    ['area 9xx (ITIN range)', '912345678'],
    ['group 00', '123004567'],
    ['serial 0000', '123450000'],
    ['one digit repeated', '111111111'],
    ['the advertised sample', '078051120'],
    ['too short', '12345678'],
  ])('rejects %s', (_why, n) => expect(ssnValid(n)).toBe(false));
});
