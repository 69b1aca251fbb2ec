$params = @{
    Identity = 'svc-app'
    TrustedToAuthenticateForDelegation = $true
}
Set-ADAccountControl @params
