export enum Gender {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}

export const GENDER_LABELS: Record<Gender, string> = {
  [Gender.MALE]: '男',
  [Gender.FEMALE]: '女',
};
