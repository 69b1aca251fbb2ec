if ((Get-ADUser -Identity 'svc-app' -Properties servicePrincipalName).servicePrincipalName -notcontains 'HTTP/app' {
    setspn -S HTTP/app 'CORP\svc-app'
}
